# Finds every dependency among Debian 12's packages; nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(date REQUIRED)  # Howard Hinnant's date/tz, with the OS tzdata
find_package(ZLIB REQUIRED)  # gzip of the web workspace's files (web_files.cpp)
find_package(CURL REQUIRED)  # the KPI digest's SMTP relay (smtp.cpp): Debian's libcurl4-openssl-dev

pkg_check_modules(SQLite3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(Sodium REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(UUID REQUIRED IMPORTED_TARGET uuid)
pkg_check_modules(QRencode REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(OpenSSL REQUIRED IMPORTED_TARGET openssl)
pkg_check_modules(ImGui REQUIRED IMPORTED_TARGET imgui)
# Google ctemplate: the final-response letters' templates, with HTML auto-escaping.
pkg_check_modules(CTemplate REQUIRED IMPORTED_TARGET libctemplate)

# cpp-httplib: Debian builds it as a shared library with OpenSSL, zlib and brotli.
# Its pkg-config file defines the zlib and brotli switches too; the target is
# assembled here with OpenSSL only. The library itself still inflates compressed
# request bodies (unbounded in 0.11.4), so the server refuses any request with a
# Content-Encoding before its body is read (api.cpp's pre-routing handler).
find_path(HTTPLIB_INCLUDE_DIR httplib.h REQUIRED)
find_library(HTTPLIB_LIBRARY cpp-httplib REQUIRED)
add_library(heed_httplib INTERFACE)
target_include_directories(heed_httplib SYSTEM INTERFACE ${HTTPLIB_INCLUDE_DIR})
target_compile_definitions(heed_httplib INTERFACE CPPHTTPLIB_OPENSSL_SUPPORT)
target_link_libraries(heed_httplib INTERFACE ${HTTPLIB_LIBRARY} PkgConfig::OpenSSL Threads::Threads)

if(HEED_BUILD_TESTS)
  find_package(doctest REQUIRED)
endif()

if(HEED_BUILD_APP)
  find_package(glfw3 3.3 REQUIRED)
  find_package(OpenGL REQUIRED)
  include(HeedGlad)
endif()
