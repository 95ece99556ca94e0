import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { ButtonComponent } from '@dropgate/web/ui-button';

@Component({
  selector: 'dg-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, ButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="topbar">
      <span class="brand"
        ><span class="mark" aria-hidden="true"></span><span class="brand-name">Dropgate</span></span
      >
      @if (session.signedIn() || session.ended()) {
        <nav class="nav" aria-label="Main">
          <a routerLink="/" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: true }">Upload</a>
          <a routerLink="/uploads" routerLinkActive="active">My uploads</a>
          @if (isWebhooksAdmin()) {
            <a routerLink="/webhooks" routerLinkActive="active">Webhooks</a>
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
}
