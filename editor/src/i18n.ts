// The interface language: Chinese (the default) or English, one at a time, remembered in
// localStorage. An element whose text is a label carries both texts (data-zh, data-en), so a
// switch rewrites every label on the page in place, whichever pane made it, without re-rendering
// (the panes keep their state: the sort, the filter, the files picked). The policy's own messages
// (diagnostics, the CLI's words) stay as the engine writes them.

import { h } from './dom.ts';

/** The two interface languages. */
export type Lang = 'zh' | 'en';

const KEY = 'guize.editor.lang';

function stored(): Lang {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage refused (a private window, file:// in some browsers): the default
  }
}

let current: Lang = stored();
const listeners: ((lang: Lang) => void)[] = [];

export function getLang(): Lang {
  return current;
}

/** Switches the interface language, remembers it, rewrites the labels and tells the listeners. */
export function setLang(lang: Lang): void {
  current = lang;
  try {
    globalThis.localStorage?.setItem(KEY, lang);
  } catch {
    // not remembered, still switched
  }
  applyLang(document);
  for (const f of listeners) f(lang);
}

export function onLangChange(f: (lang: Lang) => void): void {
  listeners.push(f);
}

/** The text in the language now. */
export function L(zh: string, en: string): string {
  return current === 'zh' ? zh : en;
}

/** The attributes that let a switch rewrite an element's text: spread them into h's attributes. */
export function bi(zh: string, en: string): Record<string, string> {
  return { 'data-zh': zh, 'data-en': en };
}

/** An element whose whole text is a label in both languages. */
export function t<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | undefined>, zh: string, en: string): HTMLElementTagNameMap[K] {
  return h(tag, { ...attrs, ...bi(zh, en) }, L(zh, en));
}

/** Rewrites every bilingual label under `root` (text, and placeholder or title where they carry both). */
export function applyLang(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-zh]')) el.textContent = (current === 'zh' ? el.dataset.zh : el.dataset.en) ?? '';
  for (const el of root.querySelectorAll<HTMLElement>('[data-zh-placeholder]')) el.setAttribute('placeholder', (current === 'zh' ? el.dataset.zhPlaceholder : el.dataset.enPlaceholder) ?? '');
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
}

/** The toolbar's switch: 中文 | English. */
export function langSwitch(): HTMLElement {
  const button = (lang: Lang, label: string) => {
    const b = h('button', { type: 'button', class: current === lang ? 'lang active' : 'lang', 'data-testid': `ui-lang-${lang}`, 'aria-pressed': String(current === lang) }, label);
    b.addEventListener('click', () => setLang(lang));
    return b;
  };
  const root = h('span', { class: 'lang-toggle', title: '界面语言 / interface language' }, button('zh', '中文'), button('en', 'English'));
  onLangChange(() => {
    for (const b of root.querySelectorAll('button')) {
      const on = b.dataset.testid === `ui-lang-${current}`;
      b.className = on ? 'lang active' : 'lang';
      b.setAttribute('aria-pressed', String(on));
    }
  });
  return root;
}
