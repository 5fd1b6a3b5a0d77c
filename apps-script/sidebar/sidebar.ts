// The sidebar's browser script (runs in Google's sandboxed iframe, talks to the add-on via google.script.run).
export {};
