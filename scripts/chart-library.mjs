// The chart library the diff report inlines (engine/diff/html/): only the parts of ECharts it
// draws with — bar and Sankey charts, a grid, tooltips and legends, the SVG renderer (sharp when
// printed, and no canvas to size for the printer) — about half of ECharts' full minified
// build. scripts/build.mjs bundles this file as a script that sets `globalThis.echarts`
// (dist/chart-library.js); cli/diff-html-file.ts reads it and hands its text to diffHtml.

import { use, init, getInstanceByDom, version } from 'echarts/core';
import { BarChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, SankeyChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { init, getInstanceByDom, version };
