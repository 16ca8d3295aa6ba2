// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';
// @grafana/i18n initialises i18next, which otherwise prints an advert in every test file.
process.env.I18NEXT_NO_SUPPORT_NOTICE = '1';

const grafanaConfig = require('./.config/jest.config');
const [, swcTransform] = grafanaConfig.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...grafanaConfig,
  moduleNameMapper: {
    ...grafanaConfig.moduleNameMapper,
    // The scaffold's mock spends seconds per render on Grafana's EmptyState illustration.
    'react-inlinesvg': '<rootDir>/src/testing/inlineSvgMock.tsx',
  },
  transform: {
    ...grafanaConfig.transform,
    // @grafana/* 13 pulls ESM-only .mjs builds (d3-color): compile them like the other sources.
    '^.+\\.mjs$': ['@swc/jest', swcTransform],
  },
};
