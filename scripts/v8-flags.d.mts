export declare const V8_FLAGS: readonly string[];
export declare function electronV8Switch(): string;
