"""Python's own clients for the RPC benchmark: N serial add(2, 3) calls against a running server.

Usage: py_client.py PROTOCOL HOST PORT N [PATH]
Prints one JSON line: {"calls", "wall_s", "cpu_s", "sys_s"}; cpu_s is time.process_time() of this
client around the call loop only (connecting and imports are outside it, as for the Node side), sys_s
the part of it spent in the kernel (os.times().system).
"""
import json
import os
import socket
import sys
import time

proto, host, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
path = sys.argv[5] if len(sys.argv) > 5 else '/'


def check(r):
    if r != 5:
        raise SystemExit('unexpected result %r' % (r,))


def run(loop):
    w, c, s = time.perf_counter(), time.process_time(), os.times().system
    loop()
    print(json.dumps({'calls': n, 'wall_s': time.perf_counter() - w, 'cpu_s': time.process_time() - c, 'sys_s': os.times().system - s}))


if proto in ('pickle', 'mpjson'):
    import pickle
    from multiprocessing.connection import Client

    conn = Client((host, port))
    if proto == 'pickle':
        # Python Cookbook recipe 11.8's RPCProxy: send(pickle.dumps(...)), pickle.loads(recv())
        def loop():
            for _ in range(n):
                conn.send(pickle.dumps(('add', (2, 3), {})))
                check(pickle.loads(conn.recv()))
    else:
        def loop():
            for _ in range(n):
                conn.send(json.dumps(['add', [2, 3], {}]))
                check(json.loads(conn.recv()))
    run(loop)
elif proto == 'tcpjson':
    # seed 003's client: one connection per call, {"method_name", "method_args", "method_kwargs"}
    def loop():
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.connect((host, port))
            s.sendall(json.dumps({'method_name': 'add', 'method_args': [2, 3], 'method_kwargs': {}}).encode('utf-8'))
            data = b''
            while True:
                chunk = s.recv(1024)
                if not chunk:
                    break
                data += chunk
            s.close()
            check(json.loads(data.decode('utf-8'))['res'])
    run(loop)
elif proto == 'xmlrpc':
    import xmlrpc.client
    proxy = xmlrpc.client.ServerProxy('http://%s:%d%s' % (host, port, path))
    check(proxy.add(2, 3))

    def loop():
        for _ in range(n):
            check(proxy.add(2, 3))
    run(loop)
elif proto == 'jsonrpc-http':
    import http.client
    conn = http.client.HTTPConnection(host, port)
    ids = [0]

    def call():
        ids[0] += 1
        body = json.dumps({'jsonrpc': '2.0', 'method': 'add', 'params': [2, 3], 'id': ids[0]})
        conn.request('POST', path, body, {'Content-Type': 'application/json'})
        check(json.loads(conn.getresponse().read())['result'])
    call()

    def loop():
        for _ in range(n):
            call()
    run(loop)
elif proto == 'jsonrpc-tcp':
    s = socket.create_connection((host, port))
    f = s.makefile('rwb')

    def loop():
        for i in range(n):
            f.write(json.dumps({'jsonrpc': '2.0', 'method': 'add', 'params': [2, 3], 'id': i}).encode() + b'\n')
            f.flush()
            check(json.loads(f.readline())['result'])
    run(loop)
elif proto == 'rpyc':
    import rpyc
    c = rpyc.connect(host, port)
    add = c.root.add
    check(add(2, 3))

    def loop():
        for _ in range(n):
            check(c.root.add(2, 3))
    run(loop)
else:
    raise SystemExit('unknown protocol ' + proto)
