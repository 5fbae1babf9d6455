// A small handlebars view engine: page templates under views/<area>/, partials under views/partials/,
// and one layout (views/layouts/main.hbs) unless a page sets `layout`.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { registerHelpers } from './view-helpers.ts';

type Template = Handlebars.TemplateDelegate;
type Render = (filePath: string, options: object, callback: (e: unknown, rendered?: string) => void) => void;

export const VIEWS_DIR = path.resolve(import.meta.dirname, '../../views');

function listTemplates(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.hbs'))
    .map((f) => path.join(dir, f));
}

export function createViewEngine(options: { viewsDir?: string; cache: boolean }): { render: Render; hbs: typeof Handlebars } {
  const viewsDir = options.viewsDir ?? VIEWS_DIR;
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  const compiled = new Map<string, Template>();

  const compile = (file: string): Template => {
    const hit = options.cache ? compiled.get(file) : undefined;
    if (hit) return hit;
    const template = hbs.compile(fs.readFileSync(file, 'utf8'), { strict: false, preventIndent: true });
    compiled.set(file, template);
    return template;
  };

  let partialsLoaded = false;
  const loadPartials = () => {
    if (options.cache && partialsLoaded) return;
    const partialsDir = path.join(viewsDir, 'partials');
    for (const file of listTemplates(partialsDir)) {
      const name = path.relative(partialsDir, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
      hbs.registerPartial(name, fs.readFileSync(file, 'utf8'));
    }
    partialsLoaded = true;
  };

  const render: Render = (filePath, data, callback) => {
    try {
      loadPartials();
      const context = data as Record<string, unknown>;
      const body = compile(filePath)(context);
      const layout = context.layout === undefined ? 'main' : context.layout;
      if (layout === false) return callback(null, body);
      const layoutFile = path.join(viewsDir, 'layouts', `${String(layout)}.hbs`);
      callback(null, compile(layoutFile)({ ...context, body: new hbs.SafeString(body) }));
    } catch (error) {
      callback(error);
    }
  };
  return { render, hbs };
}

/** Every template file, for a test that compiles them all. */
export const allTemplateFiles = (viewsDir = VIEWS_DIR): string[] => listTemplates(viewsDir);
