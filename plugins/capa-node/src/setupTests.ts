// The suite runs many test files at once; on a small, busy machine a test that talks to a local
// server can take longer than Jest's 5 s default. Tests that check for hangs set their own timers.
jest.setTimeout(30_000);

export {};
