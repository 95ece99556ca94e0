import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { ButtonComponent } from '@dropgate/web/ui-button';

/** What a signed-out visitor sees: one button to the company's sign-in page, or why it cannot work. */
@Component({
  selector: 'dg-sign-in-page',
  imports: [ButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="page">
      <section class="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to upload files</h1>
        @if (session.problem(); as problem) {
          <p class="problem" role="alert">{{ problem }}</p>
          <button dg-button type="button" (click)="reload()">Reload</button>
        } @else {
          <p>Dropgate uses your company account. You will come back here once you are signed in.</p>
          <button dg-button variant="primary" type="button" (click)="session.signIn()">Sign in</button>
        }
      </section>
    </main>
  `,
  styles: `
    .page {
      display: grid;
      place-items: center;
      padding: 72px 20px;
    }
    .card {
      max-width: 420px;
      padding: 28px;
      background: var(--dg-surface);
      border: 1px solid var(--dg-border);
      border-radius: 16px;
      box-shadow: 0 1px 2px rgb(15 23 42 / 5%);
    }
    h1 {
      margin: 0 0 8px;
      font-size: 1.375rem;
      font-weight: 650;
    }
    p {
      margin: 0 0 20px;
      color: var(--dg-muted);
    }
    .problem {
      color: var(--dg-danger-text);
    }
  `,
})
export class SignInPageComponent {
  protected readonly session = inject(AuthSession);

  protected reload(): void {
    location.reload();
  }
}
