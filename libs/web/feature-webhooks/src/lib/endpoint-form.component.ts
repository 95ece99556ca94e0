import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import type { WebhookEndpointRequest, WebhookEventType } from '@dropgate/shared/api-contract';
import { ButtonComponent } from '@dropgate/web/ui-button';
import type { WebhookApiError } from './webhook-api-error';
import { EVENT_DESCRIPTIONS, SUBSCRIBABLE_EVENT_TYPES } from './webhook-text';

/** The upload events, all ticked: most receivers want to hear of every outcome. */
const DEFAULT_TYPES = (): Set<WebhookEventType> => new Set(SUBSCRIBABLE_EVENT_TYPES);

/**
 * Registering an endpoint: its URL, a description, and the events it receives. What is missing is
 * said beside its field before anything is sent; what the API refuses (`webhook.url_not_allowed`
 * above all) is said there too.
 */
@Component({
  selector: 'dg-webhook-endpoint-form',
  imports: [ButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './endpoint-form.component.html',
  styleUrl: './endpoint-form.component.css',
})
export class EndpointFormComponent {
  /** While the registration is on its way. */
  readonly busy = input(false);
  /** The API's refusal of the last registration, if it refused it. */
  readonly problem = input<WebhookApiError | undefined>(undefined);
  readonly register = output<WebhookEndpointRequest>();

  protected readonly types = SUBSCRIBABLE_EVENT_TYPES;
  protected readonly describe = EVENT_DESCRIPTIONS;
  protected readonly url = signal('');
  protected readonly description = signal('');
  protected readonly selected = signal(DEFAULT_TYPES());
  /** Set by a submit, so that a field is not called wrong before the person has tried. */
  private readonly checked = signal(false);

  protected readonly urlError = computed(() => {
    if (this.checked() && this.url().trim() === '') return "Enter the endpoint's URL";
    return this.problem()?.about('url');
  });
  protected readonly typesError = computed(() => {
    if (this.checked() && this.selected().size === 0) return 'Choose at least one event';
    return this.problem()?.about('eventTypes');
  });

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  protected toggle(type: WebhookEventType, on: boolean): void {
    this.selected.update((types) => {
      const next = new Set(types);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });
  }

  protected submit(event: Event): void {
    event.preventDefault();
    this.checked.set(true);
    if (this.url().trim() === '' || this.selected().size === 0) {
      this.focusInvalid();
      return;
    }
    this.register.emit({
      url: this.url().trim(),
      // In the order the API lists them, whatever order they were ticked in.
      eventTypes: this.types.filter((type) => this.selected().has(type)),
      ...(this.description().trim() && { description: this.description().trim() }),
    });
  }

  /** Empties the form for the next endpoint. */
  reset(): void {
    this.url.set('');
    this.description.set('');
    this.selected.set(DEFAULT_TYPES());
    this.checked.set(false);
  }

  /** Moves the focus to the first field that is wrong, once it shows as wrong. */
  focusInvalid(): void {
    afterNextRender(
      () => this.host.nativeElement.querySelector<HTMLElement>('[aria-invalid=true]')?.focus(),
      { injector: this.injector },
    );
  }
}
