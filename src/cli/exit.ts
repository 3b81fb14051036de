// Exit codes of the CLI contract: 0 success, 1 remote error or failed expectation, 2 usage or connection error.
export const EXIT_OK = 0;
export const EXIT_REMOTE = 1;
export const EXIT_USAGE = 2;
