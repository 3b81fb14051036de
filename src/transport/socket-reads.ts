// Plain TCP connections whose reads skip Node's stream machinery.
//
// A socket read normally becomes a Buffer of its own, goes through the socket's Readable state and
// comes out as a 'data' event (with a nextTick to read on): 2-3 µs of CPU a read, a sixth of what
// a pickle:// client spends on a small call besides the system calls. With `onread`, Node reads into a
// buffer we give it and calls us at once. One buffer serves every socket: a read's bytes are copied
// out in its callback, and no other read can land in the buffer before that callback returns (reads
// complete one at a time, on the JS thread). 'end', 'close' and 'error' are emitted as usual; the
// socket is closed as soon as the peer has closed its side.
import { connect as netConnect, type Socket } from 'node:net';

/** libuv's own read size */
const READ_BUFFER = new Uint8Array(64 * 1024);

/**
 * `net.connect` with TCP_NODELAY whose incoming bytes go to `onBytes`, each chunk a copy the
 * receiver may keep. Nothing is read before the 'connect' event's listeners have run, so a receiver
 * built in one of them misses nothing.
 */
export function connectPlain(host: string, port: number, onBytes: (chunk: Uint8Array) => void): Socket {
  // noDelay as an option: Node sets TCP_NODELAY once the socket is connected, where a setNoDelay()
  // call here would make it set the option twice (one connection per tcpjson call)
  const socket = netConnect({
    host,
    port,
    noDelay: true,
    // Once the peer has closed its side, none of our protocols has anything left to say: close at
    // once. Node's own way (allowHalfOpen false) ends our side first, a shutdown() through the
    // stream's end machinery before the close: 15-20 µs a connection, a fifth of a tcpjson call.
    allowHalfOpen: true,
    onread: {
      buffer: READ_BUFFER,
      callback: (nread: number) => {
        onBytes(READ_BUFFER.slice(0, nread));
        return true; // false would pause the socket
      },
    },
  });
  // the first 'end' listener: those added later still see the event
  socket.on('end', () => socket.destroy());
  return socket;
}
