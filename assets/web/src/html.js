// One place that binds htm to Preact, so every module writes html`<div>…</div>`
// and imports Preact's pieces from here rather than from the vendored paths.
import { h, render, Fragment, createContext } from '../vendor/preact.js';
import htm from '../vendor/htm.js';

export const html = htm.bind(h);
export { h, render, Fragment, createContext };
export {
  useState, useEffect, useRef, useMemo, useCallback, useContext, useLayoutEffect, useId,
} from '../vendor/hooks.js';
