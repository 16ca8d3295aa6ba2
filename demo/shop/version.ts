/** The demo shop's version: recordings say which shop made them. */
export const SHOP_VERSION = '0.1.0';
