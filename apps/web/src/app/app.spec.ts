import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { App } from './app';

@Component({ template: 'page' })
class Page {}

/** The shell with the bar shown, over routes of stand-in pages. */
async function setUp(scopes: string[] = []) {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([
        { path: '', component: Page },
        { path: 'uploads', component: Page },
        { path: 'uploads/:id', component: Page },
        { path: 'webhooks', component: Page },
      ]),
      {
        provide: AuthSession,
        useValue: {
          signedIn: signal(true),
          ended: signal(false),
          signingOut: signal(false),
          scopes: signal(scopes),
          name: signal('Alice'),
          signOut: () => undefined,
        },
      },
    ],
  });
  const harness = await RouterTestingHarness.create();
  const fixture = TestBed.createComponent(App);
  const current = () => {
    fixture.detectChanges();
    const links = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('nav a'));
    return links
      .filter((a) => a.classList.contains('active') && a.getAttribute('aria-current') === 'page')
      .map((a) => a.textContent?.trim());
  };
  return { harness, current };
}

describe('App', () => {
  it('should mark the page shown, and only it, as current', async () => {
    const { harness, current } = await setUp(['webhooks:admin']);
    await harness.navigateByUrl('/');
    expect(current()).toEqual(['Upload']);
    await harness.navigateByUrl('/uploads?status=available');
    expect(current()).toEqual(['My uploads']);
    await harness.navigateByUrl('/uploads/019ac4e2');
    expect(current()).toEqual(['My uploads']);
    await harness.navigateByUrl('/webhooks');
    expect(current()).toEqual(['Webhooks']);
  });

  it('should show no Webhooks link without webhooks:admin', async () => {
    const { harness } = await setUp();
    await harness.navigateByUrl('/');
    const fixture = TestBed.createComponent(App);
    fixture.detectChanges();
    const links = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('nav a'));
    expect(links.map((a) => a.textContent?.trim())).toEqual(['Upload', 'My uploads']);
  });
});
