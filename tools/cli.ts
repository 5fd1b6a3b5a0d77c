// The `sheets-figma-sync` command line: `check <tab.csv>...` maps CSV tabs with the shared mapper.
console.log('usage: sheets-figma-sync check <tab.csv>...');
