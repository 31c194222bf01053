import '@testing-library/jest-dom';
import { TextDecoder, TextEncoder } from 'node:util';

// jsdom lacks TextEncoder (react-router asks for it when loaded): Node's own.
(globalThis as { TextEncoder?: unknown }).TextEncoder ??= TextEncoder;
(globalThis as { TextDecoder?: unknown }).TextDecoder ??= TextDecoder;

// jsdom has no matchMedia (antd's responsive grid asks for it) nor ResizeObserver: inert stand-ins.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
class NoResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= NoResizeObserver;

// antd's motion and React's scheduler post to a MessageChannel, which jsdom lacks. A stand-in that delivers
// on a timer: Node's own MessageChannel would keep Jest's worker alive after the tests.
class TimerPort {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  other?: TimerPort;
  postMessage(data: unknown): void {
    setTimeout(() => this.other?.onmessage?.({ data }), 0);
  }
  addEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
    this.onmessage = listener;
  }
  removeEventListener(): void {
    this.onmessage = null;
  }
  start(): void {}
  close(): void {}
}
class TimerMessageChannel {
  port1 = new TimerPort();
  port2 = new TimerPort();
  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
  }
}
(globalThis as { MessageChannel?: unknown }).MessageChannel ??= TimerMessageChannel;
// jsdom implements getComputedStyle without pseudo-elements (antd asks for ::before sizes): answer for the element.
const computed = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element) => computed(element);
