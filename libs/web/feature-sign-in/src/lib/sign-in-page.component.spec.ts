import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { SignInPageComponent } from './sign-in-page.component';

function render(problem?: string) {
  const session = { problem: signal(problem), signIn: jest.fn() };
  TestBed.configureTestingModule({ providers: [{ provide: AuthSession, useValue: session }] });
  const fixture = TestBed.createComponent(SignInPageComponent);
  fixture.detectChanges();
  return { session, element: fixture.nativeElement as HTMLElement };
}

describe('SignInPageComponent', () => {
  it('should send the visitor to the provider from its one button', () => {
    const { session, element } = render();
    const button = element.querySelector('button');
    expect(button?.textContent?.trim()).toBe('Sign in');
    button?.click();
    expect(session.signIn).toHaveBeenCalledTimes(1);
  });

  it('should say why sign-in cannot start instead of offering it', () => {
    const { session, element } = render(
      'The Dropgate API is unreachable — check your connection and reload.',
    );
    expect(element.querySelector('[role=alert]')?.textContent).toContain('API is unreachable');
    expect(element.querySelector('button')?.textContent?.trim()).toBe('Reload');
    expect(session.signIn).not.toHaveBeenCalled();
  });
});
