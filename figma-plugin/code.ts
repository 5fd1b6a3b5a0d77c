// Entry of the plugin's main thread: wires figma.* to the adapter. No logic worth a test lives here.
import { startPlugin } from './main/plugin-main';

figma.showUI(__html__, { width: 360, height: 520, themeColors: true });
const plugin = startPlugin(figma);
// Figma stops a closed plugin's code; stopping the periodic drift check first is only tidy.
figma.on('close', () => plugin.stop());
