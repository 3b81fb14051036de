// The security policy of the app window, as data: the window and webPreferences options, the CSP
// sent with every response, which URLs may be shown, and which frames may call the bridge.
// Kept free of Electron's runtime so tests can check it under Node.
import type { BrowserWindowConstructorOptions } from 'electron';

/** No network from the renderer at all: it reaches the host through the preload bridge only. */
export const ELECTRON_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 500,
    title: 'rpcscope',
    backgroundColor: '#16181d',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** The renderer's document, whatever its query or hash. */
function sameDocument(url: string, rendererUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(rendererUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/** Only our own page may be shown: every other navigation is refused. */
export function allowNavigation(url: string, rendererUrl: string): boolean {
  return sameDocument(url, rendererUrl);
}

/** New windows are never opened (links to the outside are not part of the app). */
export const windowOpenPolicy = (): { action: 'deny' } => ({ action: 'deny' });

/** IPC is answered only for the top frame showing our page. */
export function isTrustedSender(frameUrl: string | undefined, rendererUrl: string, isMainFrame: boolean): boolean {
  return isMainFrame && frameUrl !== undefined && sameDocument(frameUrl, rendererUrl);
}

/** Response headers with our CSP added (replacing any other). */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  out['Content-Security-Policy'] = [ELECTRON_CSP];
  return out;
}

/**
 * Permissions are refused (camera, notifications, clipboard reads, ...), except writing text to the
 * clipboard from the top frame of our page: the Copy buttons' navigator.clipboard.writeText asks
 * for 'clipboard-sanitized-write', which a browser grants on a click and Electron only through
 * this policy.
 */
export function permissionPolicy(permission: string, frameUrl: string | undefined, rendererUrl: string, isMainFrame: boolean): boolean {
  return permission === 'clipboard-sanitized-write' && isTrustedSender(frameUrl, rendererUrl, isMainFrame);
}
