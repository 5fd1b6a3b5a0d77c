// Fake HtmlService and Ui: HTML files come from the built dist/apps-script/ (Sidebar.html), menus
// and sidebars the script shows are recorded for the test to read.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gasError, strictFake } from './gas-error';
import type { CallCounter } from './spreadsheet';

export interface MenuRecord {
  user: string;
  authMode: string;
  items: { caption: string; functionName: string }[];
}

export interface SidebarRecord {
  user: string;
  title: string;
  content: string;
}

class FakeHtmlOutput {
  title = '';
  constructor(public content: string) {}
  setTitle(title: string): FakeHtmlOutput {
    this.title = title;
    return this;
  }
  getTitle(): string {
    return this.title;
  }
  getContent(): string {
    return this.content;
  }
  setWidth(): FakeHtmlOutput {
    return this;
  }
}

export function fakeHtmlService(distDir: string, count: CallCounter): GoogleAppsScript.HTML.HtmlService {
  return strictFake<GoogleAppsScript.HTML.HtmlService>(
    {
      createHtmlOutputFromFile(name: string) {
        count('HtmlService.createHtmlOutputFromFile');
        const file = join(distDir, `${name.replace(/\.html$/, '')}.html`);
        if (!existsSync(file)) throw gasError(`No HTML file named ${name} was found.`);
        return strictFake(new FakeHtmlOutput(readFileSync(file, 'utf8')), 'HtmlOutput');
      },
      createHtmlOutput(html = '') {
        count('HtmlService.createHtmlOutput');
        return strictFake(new FakeHtmlOutput(String(html)), 'HtmlOutput');
      },
    },
    'HtmlService',
  );
}

export function fakeUi(user: string, authMode: string, menus: MenuRecord[], sidebars: SidebarRecord[], count: CallCounter): GoogleAppsScript.Base.Ui {
  return strictFake<GoogleAppsScript.Base.Ui>(
    {
      createAddonMenu() {
        count('Ui.createAddonMenu');
        const items: MenuRecord['items'] = [];
        const menu = strictFake<GoogleAppsScript.Base.Menu>(
          {
            addItem(caption: string, functionName: string) {
              items.push({ caption, functionName });
              return menu;
            },
            addSeparator() {
              return menu;
            },
            addToUi() {
              menus.push({ user, authMode, items: [...items] });
            },
          },
          'Menu',
        );
        return menu;
      },
      showSidebar(output: { getTitle(): string; getContent(): string }) {
        count('Ui.showSidebar');
        sidebars.push({ user, title: output.getTitle(), content: output.getContent() });
      },
    },
    'Ui',
  );
}
