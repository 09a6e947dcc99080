// One place that binds htm to Preact, so every module writes html`<div>…</div>`
// and imports Preact's pieces from here. The build (build.mjs) compiles the templates
// into h() calls, so the bundle leaves `html` unused and drops htm (hence "pure"); the
// modules run as written with htm too.
import { h, render, Fragment, createContext } from 'preact';
import htm from 'htm';

export const html = /* @__PURE__ */ htm.bind(h);
export { h, render, Fragment, createContext };
export {
  useState, useEffect, useRef, useMemo, useCallback, useContext, useLayoutEffect, useId,
} from 'preact/hooks';
