import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { ButtonComponent } from '@dropgate/web/ui-button';

@Component({
  selector: 'dg-root',
  imports: [RouterOutlet, RouterLink, ButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="topbar">
      <span class="brand"
        ><span class="mark" aria-hidden="true"></span><span class="brand-name">Dropgate</span></span
      >
      @if (session.signedIn() || session.ended()) {
        <nav class="nav" aria-label="Main">
          <a routerLink="/" [class.active]="page() === '/'" [attr.aria-current]="current('/')">Upload</a>
          <a
            routerLink="/uploads"
            [class.active]="page() === '/uploads'"
            [attr.aria-current]="current('/uploads')"
            >My uploads</a
          >
          @if (isWebhooksAdmin()) {
            <a
              routerLink="/webhooks"
              [class.active]="page() === '/webhooks'"
              [attr.aria-current]="current('/webhooks')"
              >Webhooks</a
            >
          }
        </nav>
        <span class="account">
          <span class="name" data-testid="user-name">{{ session.name() }}</span>
          <button dg-button type="button" [disabled]="session.signingOut()" (click)="session.signOut()">
            Sign out
          </button>
        </span>
      }
    </header>
    <router-outlet />
  `,
})
export class App {
  protected readonly session = inject(AuthSession);
  protected readonly isWebhooksAdmin = computed(() => this.session.scopes().includes('webhooks:admin'));
  /**
   * The top-level page shown (`/`, `/uploads`, `/webhooks`), which the bar marks as current. Read
   * from the router's navigations: RouterLinkActive would add its code to the first screen's.
   */
  protected readonly page = toSignal(
    inject(Router).events.pipe(
      filter((event): event is NavigationEnd => event instanceof NavigationEnd),
      map((event) => `/${event.urlAfterRedirects.split(/[/?#]/)[1] ?? ''}`),
    ),
    { initialValue: '' },
  );

  protected current(page: string): 'page' | null {
    return this.page() === page ? 'page' : null;
  }
}
