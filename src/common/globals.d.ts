// The few runtime globals pure code may use. They exist in Node, browsers and Electron alike;
// declaring them here keeps common/ and codecs/ free of Node and DOM typings.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(src: string, dest: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare const performance: {
  readonly timeOrigin: number;
  now(): number;
};
