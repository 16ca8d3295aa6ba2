import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Nested plugins (datasource, panels) keep their logos beside their own plugin.json; create-plugin copies only the app's.
const nestedPluginLogos = [
  'datasource/img/logo.svg',
  'panels/rootcause/img/logo.svg',
  'panels/agenttrace/img/logo.svg',
  'panels/evals/img/logo.svg',
];

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);

  return merge(baseConfig, {
    plugins: [
      new CopyWebpackPlugin({
        patterns: nestedPluginLogos.map((logo) => ({ from: logo, to: logo })),
      }),
    ],
  });
};

export default config;
