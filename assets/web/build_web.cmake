# Run by the heed_web target: cmake -DSOURCE=assets/web -DOUTPUT=build/web -P build_web.cmake
# Lays out OUTPUT afresh (index.html, src/**, vendor/{preact,hooks,htm}.js) so a file
# deleted from src/ is not served from a stale build. Fails when a served module still
# holds a bare import specifier ("preact", not "./preact.js"), which no browser resolves.
if(NOT SOURCE OR NOT OUTPUT)
  message(FATAL_ERROR "build_web.cmake: pass -DSOURCE=... -DOUTPUT=...")
endif()

file(REMOVE_RECURSE ${OUTPUT})
file(MAKE_DIRECTORY ${OUTPUT}/vendor)
file(COPY ${SOURCE}/index.html DESTINATION ${OUTPUT})
file(COPY ${SOURCE}/src DESTINATION ${OUTPUT})

file(READ ${SOURCE}/node_modules/preact/dist/preact.mjs preact)
file(READ ${SOURCE}/node_modules/preact/hooks/dist/hooks.mjs hooks)
file(READ ${SOURCE}/node_modules/htm/dist/htm.mjs htm)

# The minified hooks module says from"preact"; tolerate the spaced form as well.
string(REPLACE "from\"preact\"" "from\"./preact.js\"" hooks "${hooks}")
string(REPLACE "from \"preact\"" "from \"./preact.js\"" hooks "${hooks}")
string(REPLACE "from'preact'" "from'./preact.js'" hooks "${hooks}")
string(REPLACE "from 'preact'" "from './preact.js'" hooks "${hooks}")
# Source map comments point at files we do not serve.
foreach(name preact hooks htm)
  string(REGEX REPLACE "\n//# sourceMappingURL=[^\n]*" "\n" ${name} "${${name}}")
endforeach()

file(WRITE ${OUTPUT}/vendor/preact.js "${preact}")
file(WRITE ${OUTPUT}/vendor/hooks.js "${hooks}")
file(WRITE ${OUTPUT}/vendor/htm.js "${htm}")

# Every served module: an import or export ... from "x" where x does not start with
# ./ ../ or / is a bare specifier.
file(GLOB_RECURSE served ${OUTPUT}/*.js)
foreach(f ${served})
  file(READ ${f} text)
  string(REGEX MATCH "(from|import)[ \t\n]*[\"'][^./\"' \t\n][^\"' \t\n]*[\"']" bare "${text}")
  if(bare)
    message(FATAL_ERROR "heed_web: ${f} still has a bare import (${bare}); "
                        "the browser cannot load it. Rewrite it in assets/web/build_web.cmake.")
  endif()
endforeach()

# index.html names every module up front (modulepreload), so the browser fetches
# them side by side instead of one import level at a time: on a first visit that
# chain of round trips was most of the time before the queue's first rows.
file(GLOB_RECURSE modules RELATIVE ${OUTPUT} ${OUTPUT}/src/*.js ${OUTPUT}/vendor/*.js)
list(SORT modules)
set(preloads "")
foreach(m ${modules})
  string(APPEND preloads "  <link rel=\"modulepreload\" href=\"/${m}\">\n")
endforeach()
file(READ ${OUTPUT}/index.html index)
string(FIND "${index}" "  <script type=\"module\"" at)
if(at EQUAL -1)
  message(FATAL_ERROR "heed_web: index.html has no <script type=\"module\"> line to put the preloads before")
endif()
string(SUBSTRING "${index}" 0 ${at} head)
string(SUBSTRING "${index}" ${at} -1 tail)
file(WRITE ${OUTPUT}/index.html "${head}${preloads}${tail}")

