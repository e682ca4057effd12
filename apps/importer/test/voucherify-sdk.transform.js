/**
 * @voucherify/sdk reads upload files through `await import("fs")`, which Jest's CommonJS module
 * runtime refuses without --experimental-vm-modules. This hands it the same module via require.
 */
module.exports = {
  process(source) {
    return { code: source.replace(/\bimport\((["'])fs\1\)/g, 'Promise.resolve({ default: require("fs") })') };
  },
};
