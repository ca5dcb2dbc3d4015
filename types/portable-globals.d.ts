// The few web-platform globals dsl/ and engine/ use, for the portable type-check (no DOM, no
// Node types). Both the browser and Node provide them: the WHATWG Encoding Standard's
// TextEncoder and TextDecoder.

interface TextDecodeOptions {
  stream?: boolean;
}

interface TextDecoder {
  decode(input?: Uint8Array, options?: TextDecodeOptions): string;
}

declare var TextDecoder: {
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};

interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

declare var TextEncoder: {
  new (): TextEncoder;
};
