import { act, render, screen } from '@testing-library/react';
import { theme } from 'antd';
import { UiConfig } from './providers';

/** A matchMedia whose `(prefers-reduced-motion: reduce)` answer the test sets, and can change while rendered. */
function systemMotion(reduce: boolean) {
  const listeners = new Set<() => void>();
  const state = { reduce };
  window.matchMedia = ((query: string) => ({
    get matches() {
      return query === '(prefers-reduced-motion: reduce)' && state.reduce;
    },
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  return {
    set(next: boolean) {
      state.reduce = next;
      listeners.forEach((l) => l());
    },
  };
}

/** What antd's components read: the motion token (false: no zoom, slide or fade; @rc-component/motion skips them). */
function Motion() {
  const { token } = theme.useToken();
  return <output aria-label="motion">{String(token.motion)}</output>;
}

/** The workbench's providers around a component that shows the motion token. */
function showMotion() {
  render(
    <UiConfig>
      <Motion />
    </UiConfig>,
  );
}

const motion = () => screen.getByLabelText('motion').textContent;

describe('the workbench honours the system setting for reduced motion (WCAG 2.3.3)', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
  });

  it('keeps antd motion on by default', () => {
    systemMotion(false);
    showMotion();
    expect(motion()).toBe('true');
  });

  it('turns antd motion off when the system asks for reduced motion', () => {
    systemMotion(true);
    showMotion();
    expect(motion()).toBe('false');
  });

  it('follows the setting when it changes while the workbench is open', () => {
    const system = systemMotion(false);
    showMotion();
    act(() => system.set(true));
    expect(motion()).toBe('false');
    act(() => system.set(false));
    expect(motion()).toBe('true');
  });

  it('keeps motion on in a browser without matchMedia', () => {
    window.matchMedia = undefined as unknown as typeof window.matchMedia;
    showMotion();
    expect(motion()).toBe('true');
  });
});
