// One place that binds htm to Preact, so every module writes html`<div>…</div>`
// and imports Preact's pieces from here.
import { h, render, Fragment, createContext } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
export { h, render, Fragment, createContext };
export {
  useState, useEffect, useRef, useMemo, useCallback, useContext, useLayoutEffect, useId,
} from 'preact/hooks';
