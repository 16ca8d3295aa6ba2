// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no canvas: Grafana UI measures text (Combobox width) through a 2D context's measureText.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return { font: '', measureText: (text) => ({ width: String(text).length * 7 }) };
};
