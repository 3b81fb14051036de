// A call or a collection as a runnable Python client script that uses the server's own library
// (multiprocessing.connection with the Cookbook's RPCProxy, xmlrpc.client, http.client, socket,
// rpyc). The script prints repr() of each result, or the exception's last traceback line (and its notes), so its
// output can be compared line by line with rpcscope's. Authkeys come from the environment variable
// the collection names; they are never written into the script.
import {
  authkeyEnvName,
  substitute,
  variablesFor,
  type Collection,
  type CollectionConnection,
} from '../common/collection';
import { RpcError } from '../common/errors';
import { parseStatement, tokenize, type Statement } from '../common/parse';
import { strRepr } from '../common/repr';
import { param, parseEndpoint, type Endpoint, type Scheme } from '../common/url';

type Family = 'mp-pickle' | 'mp-json' | 'tcpjson' | 'xmlrpc' | 'jsonrpc-http' | 'jsonrpc-tcp' | 'rpyc';

function familyOf(scheme: Scheme): Family {
  switch (scheme) {
    case 'pickle':
      return 'mp-pickle';
    case 'mpjson':
      return 'mp-json';
    case 'tcpjson':
      return 'tcpjson';
    case 'xmlrpc':
    case 'xmlrpcs':
      return 'xmlrpc';
    case 'jsonrpc':
    case 'jsonrpcs':
      return 'jsonrpc-http';
    case 'jsonrpc+tcp':
      return 'jsonrpc-tcp';
    case 'rpyc':
      return 'rpyc';
    default:
      throw new RpcError('E_UNSUPPORTED', `no Python script export for ${scheme}:// yet`);
  }
}

const COMMON = `import os
import sys


def last_line(e):
    """The last line of the traceback Python would print for e."""
    cls = type(e)
    name = cls.__name__ if cls.__module__ in ('builtins', '__main__', 'exceptions') else '%s.%s' % (cls.__module__, cls.__name__)
    text = str(e).split('\\n\\n========= Remote Traceback')[0]
    return '%s: %s' % (name, text) if text else name


def show(thunk):
    global _
    try:
        _ = thunk()
        print(repr(_))
    except Exception as e:
        print(last_line(e))
        # the exception's notes (add_note, Python 3.11+), as a traceback prints them under its line
        notes = getattr(e, '__notes__', None)
        if isinstance(notes, (list, tuple)):
            for note in notes:
                print(note)
        elif notes is not None:
            print(repr(notes))
    sys.stdout.flush()
`;

/** JSON-RPC 2.0 requests and the error line rpcscope shows for an error object. */
const JSONRPC_SHARED = `import itertools
import json
import re

_ids = itertools.count(1)


class JSONRPCError(Exception):
    pass


def error_line(err):
    data = err.get('data')
    if isinstance(data, dict):
        kind = data.get('type') or data.get('exception') or data.get('name')
        if isinstance(kind, str):
            msg = data.get('message', err.get('message'))
            return '%s: %s' % (kind, msg) if msg else kind
    if isinstance(data, str) and data.startswith('Traceback (most recent call last):'):
        last = data.rstrip().splitlines()[-1]
        if re.match(r'[A-Za-z_][\\w.]*(: |$)', last):
            return last
    base = ('%s %s' % (err.get('code'), err.get('message', ''))).strip()
    if data is None:
        return 'JSONRPCError: ' + base
    return 'JSONRPCError: %s: %s' % (base, data if isinstance(data, str) else repr(data))


def reply_value(reply):
    if 'error' in reply:
        raise JSONRPCError(error_line(reply['error']))
    return reply['result']


class _Method(object):
    def __init__(self, send, name):
        self._send = send
        self._name = name

    def __getattr__(self, name):
        return _Method(self._send, '%s.%s' % (self._name, name))

    def __call__(self, *args, **kwargs):
        if args and kwargs:
            raise TypeError('JSON-RPC takes positional or named parameters, not both')
        request = {'jsonrpc': '2.0', 'method': self._name, 'params': kwargs if kwargs else list(args), 'id': next(_ids)}
        return reply_value(self._send(request))


`;

/** An authkey read as rpcscope reads it (see authkeyBytes): a bytes literal, or UTF-8 text. */
const MP_AUTHKEY = `import ast
import re


def authkey(text):
    if re.match(r"(?:[bB][rR]?|[rR][bB])(['\\"]).*\\1\\Z", text, re.S):
        return ast.literal_eval(text)
    return text.encode('utf-8')


`;

/** Per-protocol imports and helpers, emitted once however many connections use them. */
const PRELUDES: Record<Family, string> = {
  'mp-pickle': MP_AUTHKEY + `import pickle
from multiprocessing.connection import Client


class RPCProxy(object):
    """The Python Cookbook's RPC proxy (recipe 11.8)."""

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        def do_rpc(*args, **kwargs):
            self._connection.send(pickle.dumps((name, args, kwargs)))
            result = pickle.loads(self._connection.recv())
            if isinstance(result, Exception):
                raise result
            return result
        return do_rpc
`,
  'mp-json': MP_AUTHKEY + `import json
from multiprocessing.connection import Client


class RPCProxy(object):
    """The Cookbook's JSON variant: JSON text [name, args, kwargs] over multiprocessing.connection."""

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        def do_rpc(*args, **kwargs):
            self._connection.send(json.dumps((name, args, kwargs)))
            return json.loads(self._connection.recv())
        return do_rpc
`,
  tcpjson: `import json
import socket


class TCPJSONProxy(object):
    """Seed 003's client: one connection per call, {"method_name", "method_args", "method_kwargs"} out, {"res": ...} back."""

    def __init__(self, address):
        self._address = address

    def __getattr__(self, name):
        def do_rpc(*args, **kwargs):
            sock = socket.create_connection(self._address)
            try:
                sock.sendall(json.dumps({'method_name': name, 'method_args': args, 'method_kwargs': kwargs}).encode('utf-8'))
                chunks = []
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            finally:
                sock.close()
            return json.loads(b''.join(chunks).decode('utf-8'))['res']
        return do_rpc
`,
  xmlrpc: `import re
import ssl
import xmlrpc.client


class XMLRPCError(Exception):
    pass


def fault_line(f):
    """A Python server's Fault(1, "<class 'KeyError'>:'nope'") read as KeyError: 'nope'."""
    m = re.match(r"<class '([^']+)'>:(.*)\\Z", f.faultString, re.S)
    if not m:
        return 'xmlrpc.client.Fault: %r' % (f,)
    name = m.group(1)
    for prefix in ('builtins.', '__main__.', 'exceptions.'):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return '%s: %s' % (name, m.group(2)) if m.group(2) else name


class FaultAsLine(object):
    def __init__(self, target):
        self._target = target

    def __getattr__(self, name):
        return FaultAsLine(getattr(self._target, name))

    def __call__(self, *args):
        try:
            return self._target(*args)
        except xmlrpc.client.Fault as f:
            raise XMLRPCError(fault_line(f))


_last_line = last_line


def last_line(e):
    return str(e) if isinstance(e, XMLRPCError) else _last_line(e)
`,
  'jsonrpc-http': JSONRPC_SHARED + `import http.client
import ssl


class JSONRPCProxy(object):
    """JSON-RPC 2.0 over HTTP POST with http.client."""

    def __init__(self, host, port, path, tls=False):
        self._conn = (http.client.HTTPSConnection(host, port, context=ssl._create_unverified_context()) if tls
                      else http.client.HTTPConnection(host, port))
        self._path = path or '/'

    def _send(self, request):
        self._conn.request('POST', self._path, json.dumps(request), {'Content-Type': 'application/json'})
        return json.loads(self._conn.getresponse().read().decode('utf-8'))

    def __getattr__(self, name):
        return _Method(self._send, name)


_last_line = last_line


def last_line(e):
    return str(e) if isinstance(e, JSONRPCError) else _last_line(e)
`,
  'jsonrpc-tcp': JSONRPC_SHARED + `import socket


class JSONRPCLineProxy(object):
    """JSON-RPC 2.0 over TCP, one JSON document per line."""

    def __init__(self, address):
        self._sock = socket.create_connection(address)
        self._file = self._sock.makefile('rb')

    def _send(self, request):
        self._sock.sendall(json.dumps(request).encode('utf-8') + b'\\n')
        return json.loads(self._file.readline().decode('utf-8'))

    def __getattr__(self, name):
        return _Method(self._send, name)


_last_line = last_line


def last_line(e):
    return str(e) if isinstance(e, JSONRPCError) else _last_line(e)
`,
  rpyc: `import rpyc
`,
};

const py = (s: string) => strRepr(s);

function authkeyExpr(conn: CollectionConnection | undefined, endpoint: Endpoint): string {
  const ref = conn?.authkey ?? (endpoint.authkey !== undefined && /^\$\{env:\w+\}$/.test(endpoint.authkey) ? endpoint.authkey : undefined);
  if (ref !== undefined) return `authkey(os.environ[${py(authkeyEnvName(ref))}])`;
  if (endpoint.authkey !== undefined) return `authkey(os.environ['RPCSCOPE_AUTHKEY'])`;
  return 'None';
}

/** The line that creates the proxy object `name` for the endpoint. */
function connectLine(family: Family, name: string, ep: Endpoint, conn: CollectionConnection | undefined): string {
  const address = `(${py(ep.host)}, ${ep.port})`;
  switch (family) {
    case 'mp-pickle':
    case 'mp-json':
      return `${name} = RPCProxy(Client(${address}, authkey=${authkeyExpr(conn, ep)}))`;
    case 'tcpjson':
      return `${name} = TCPJSONProxy(${address})`;
    case 'xmlrpc': {
      const scheme = ep.scheme === 'xmlrpcs' ? 'https' : 'http';
      const url = `${scheme}://${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}${ep.path || '/RPC2'}`;
      const ctx = ep.scheme === 'xmlrpcs' ? ', context=ssl._create_unverified_context()' : '';
      return `${name} = FaultAsLine(xmlrpc.client.ServerProxy(${py(url)}, allow_none=True, use_builtin_types=True${ctx}))`;
    }
    case 'jsonrpc-http':
      return `${name} = JSONRPCProxy(${py(ep.host)}, ${ep.port}, ${py(ep.path || '/')}${ep.scheme === 'jsonrpcs' ? ', tls=True' : ''})`;
    case 'jsonrpc-tcp':
      return `${name} = JSONRPCLineProxy(${address})`;
    case 'rpyc': {
      const service = param(ep, 'service');
      return `${name}_conn = rpyc.connect(${py(ep.host)}, ${ep.port}${service ? `, service=${py(service)}` : ''})\n${name} = ${name}_conn.root`;
    }
  }
}

/**
 * One statement of call text as Python over `proxy`: `add(2, 3)` -> `show(lambda: kv.add(2, 3))`,
 * `x = add(2, 3)` -> `x = kv.add(2, 3)`; names bound earlier in the script (RPyC netrefs) are used
 * as they are: `c.incr(2)`.
 */
export function statementToPython(text: string, proxy: string, bound: Set<string>, opts: { keepUnderscore?: boolean } = {}): string {
  const stmt = parseWithAnyVariables(text);
  const toks = tokenize(text);
  let i = 0;
  let target: string | undefined;
  if (toks[0]?.kind === 'name' && toks[1]?.text === '=') {
    target = toks[0].text;
    i = 2;
  }
  const rest = text.slice(toks[i]?.start ?? text.length).trim();
  let expr: string;
  if (stmt.kind === 'call' || (stmt.kind === 'assign' && stmt.call)) {
    const head = toks[i].text;
    expr = bound.has(head) ? rest : `${proxy}.${rest}`;
  } else {
    expr = rest;
  }
  // a call text may span lines inside its brackets; Python accepts that inside the parentheses too
  if (target === undefined) return `show(lambda: ${expr})`;
  bound.add(target);
  // like the REPL, an assignment's value is also `_` (only written when a later line reads `_`)
  return opts.keepUnderscore && (stmt.kind === 'assign' && stmt.call) ? `${target} = _ = ${expr}` : `${target} = ${expr}`;
}

/**
 * Validates a statement whose variables Python will have: they stand for None, or where that cannot
 * stand (`add(*args)`, `f(**opts)`) for an empty dict, which both unpackings take.
 */
function parseWithAnyVariables(text: string): Statement {
  try {
    return parseStatement(text, { resolve: () => ({ t: 'none' }), placeholders: true });
  } catch (first) {
    try {
      return parseStatement(text, { resolve: () => ({ t: 'dict', kv: [] }), placeholders: true });
    } catch {
      throw first;
    }
  }
}

/** Whether any statement reads the REPL's `_`. */
function readsUnderscore(texts: string[]): boolean {
  return texts.some((t) => {
    try {
      return tokenize(t).some((tok) => tok.kind === 'name' && tok.text === '_');
    } catch {
      return false;
    }
  });
}

function scriptHeader(what: string): string {
  return `#!/usr/bin/env python3
# ${what}
# Exported by rpcscope. Prints repr() of each result, or the exception's last traceback line and notes.
`;
}

interface ConnPlan {
  name: string;
  family: Family;
  line: string;
}

function planConnection(varName: string, url: string, conn: CollectionConnection | undefined): ConnPlan {
  const ep = parseEndpoint(url);
  const family = familyOf(ep.scheme);
  return { name: varName, family, line: connectLine(family, varName, ep, conn) };
}

function assemble(header: string, plans: ConnPlan[], body: string[]): string {
  const families = [...new Set(plans.map((p) => p.family))];
  const parts = [header, COMMON, ...families.map((f) => PRELUDES[f]), '', ...plans.map((p) => p.line), '', ...body, ''];
  return parts.join('\n').replace(/\n{4,}/g, '\n\n\n');
}

/** A script that makes one call (or a few statements) against `url`. */
export function callToPython(url: string, calls: string | string[]): string {
  const plan = planConnection('server', url, undefined);
  const bound = new Set<string>();
  const texts = Array.isArray(calls) ? calls : [calls];
  const keepUnderscore = readsUnderscore(texts);
  const body = texts.map((c) => statementToPython(c, plan.name, bound, { keepUnderscore }));
  return assemble(scriptHeader(`calls against ${parseEndpoint(url).display}`), [plan], body);
}

/** A Python identifier for a connection name: `kv`, `pickle_127_0_0_1_17000`. */
function pyIdent(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** A script that replays a collection's calls in order (variables of `env` substituted). */
export function collectionToPython(c: Collection, opts: { env?: string } = {}): string {
  const vars = variablesFor(c, opts.env);
  // ${env:...} inside URLs stays a lookup in the script's environment, never a value written in
  const keepEnv = new Proxy<Record<string, string>>({}, { get: (_t, k) => (typeof k === 'string' ? `\${env:${k}}` : undefined) });
  const used = new Set(c.calls.map((x) => x.connection));
  const plans = c.connections
    .filter((conn) => used.has(conn.name))
    .map((conn) => planConnection(pyIdent(conn.name), substitute(conn.url, vars, keepEnv, `connection "${conn.name}"`), conn));
  const byName = new Map(c.connections.map((conn, i) => [conn.name, plans.find((p) => p.name === pyIdent(c.connections[i].name))]));
  const bound = new Set<string>();
  const keepUnderscore = readsUnderscore(c.calls.map((x) => x.call));
  const body = c.calls.map((call, i) => {
    const plan = byName.get(call.connection);
    if (!plan) throw new RpcError('E_COLLECTION', `call ${i + 1}: no connection named "${call.connection}"`);
    const text = substitute(call.call, vars, keepEnv, `call ${i + 1}`);
    const comment = call.name !== undefined ? `# ${call.name}\n` : '';
    return `${comment}${statementToPython(text, plan.name, bound, { keepUnderscore })}`;
  });
  return assemble(scriptHeader(c.name ?? 'an rpcscope collection'), plans, body);
}
