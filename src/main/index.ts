// The Electron main process: one hardened window showing the renderer, the contract served over IPC,
// the demo servers when there is nothing else to look at, and everything stopped on quit.
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openAppHost, type AppHost } from '../services/app-host';
import { registerIpc } from './ipc';
import { allowNavigation, permissionPolicy, windowOpenPolicy, windowOptions, withCsp } from './policy';
import { openSecretStore } from './secret-store';

const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_URL = pathToFileURL(fileURLToPath(new URL('../renderer/index.html', import.meta.url))).href;

let host: AppHost | undefined;
const log = (line: string) => process.stderr.write(`${line}\n`);

app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (e, url) => {
    if (!allowNavigation(url, RENDERER_URL)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!allowNavigation(url, RENDERER_URL)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(windowOpenPolicy);
});

function createWindow(): void {
  const win = new BrowserWindow(windowOptions(PRELOAD));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(RENDERER_URL);
}

void app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permissionPolicy(permission, details.requestingUrl, RENDERER_URL, details.isMainFrame)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission, _origin, details) =>
    permissionPolicy(permission, details.requestingUrl, RENDERER_URL, details.isMainFrame),
  );

  // `npm start -- pickle://...` (or `electron . URL`) opens that connection
  const url = process.argv.slice(1).find((a) => /^[a-z][a-z0-9+.-]*:\/\//i.test(a));
  host = await openAppHost({ secrets: openSecretStore(log), demo: process.env.RPCSCOPE_DEMO === '0' ? false : 'auto', url, log });
  registerIpc(ipcMain, host.handlers, RENDERER_URL);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => app.quit());

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !host) return;
  e.preventDefault();
  quitting = true;
  void host.close().finally(() => app.quit());
});
