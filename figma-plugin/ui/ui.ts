// The plugin UI (iframe): holds the socket to the relay and the grid, shows status.
export {};
