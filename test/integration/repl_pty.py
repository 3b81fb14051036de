"""Drives a command under a pseudo-terminal for the REPL tests.

Usage: repl_pty.py CMD [ARGS...]
Reads one JSON command per line on stdin, answers one JSON line on stdout:
  {"send": "text"}                        write text to the terminal        -> {"ok": true}
  {"expect": "regex", "timeout": 10}      wait until the output (after the last match) matches
                                          -> {"ok": true, "output": text up to the match end}
                                             {"ok": false, "output": everything unread} on timeout/exit
  {"close": true, "timeout": 10}          send Ctrl-D, wait for the exit -> {"exit": code, "output": rest}
ANSI escape sequences and carriage returns are removed from the output, except that a carriage
return followed by erase-line removes what the line held, as the screen shows it.
"""
import json
import os
import pty
import re
import select
import signal
import sys
import time

ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r')
ERASE_LINE = '\r\x1b[2K'

pid, fd = pty.fork()
if pid == 0:
    os.environ['TERM'] = 'xterm'
    os.execvp(sys.argv[1], sys.argv[1:])

buf = ''
pos = 0
status = None


def pump(wait):
    global buf, status
    r, _, _ = select.select([fd], [], [], wait)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if data:
            parts = data.decode('utf-8', 'replace').split(ERASE_LINE)
            buf += ANSI.sub('', parts[0])
            for part in parts[1:]:
                # only output not yet read is erased: a test never loses what it was given
                buf = buf[:max(pos, buf.rfind('\n') + 1)] + ANSI.sub('', part)
            return True
    if status is None:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
    return False


def reply(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


for line in sys.stdin:
    cmd = json.loads(line)
    if 'send' in cmd:
        os.write(fd, cmd['send'].encode('utf-8'))
        reply({'ok': True})
    elif 'expect' in cmd:
        rx = re.compile(cmd['expect'])
        deadline = time.time() + cmd.get('timeout', 10)
        while True:
            m = rx.search(buf, pos)
            if m:
                out = buf[pos:m.end()]
                pos = m.end()
                reply({'ok': True, 'output': out})
                break
            if time.time() > deadline or (status is not None and not pump(0)):
                reply({'ok': False, 'output': buf[pos:]})
                pos = len(buf)
                break
            pump(0.05)
    elif 'close' in cmd:
        os.write(fd, b'\x04')
        deadline = time.time() + cmd.get('timeout', 10)
        while status is None and time.time() < deadline:
            pump(0.05)
        while pump(0):
            pass
        if status is None:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
        reply({'exit': code, 'output': buf[pos:]})
        break
