import { TestBed } from '@angular/core/testing';
import type { UploadState } from '@dropgate/web/data-access-uploads';
import { UploadItemComponent } from './upload-item.component';

function render(state: UploadState) {
  const fixture = TestBed.createComponent(UploadItemComponent);
  const file = new File(['x'], 'a.txt', { type: 'text/plain' });
  fixture.componentRef.setInput('item', { id: 'u1', file, contentType: 'text/plain', state });
  fixture.detectChanges();
  const element = fixture.nativeElement as HTMLElement;
  const buttons = () =>
    Array.from(element.querySelectorAll('button')).map((b) => b.getAttribute('aria-label'));
  return { element, buttons };
}

describe('UploadItemComponent', () => {
  it.each<[UploadState, string]>([
    [{ status: 'scanning' }, 'Checking for viruses…'],
    [
      { status: 'infected', signature: 'Eicar-Test-Signature' },
      'Blocked: malware found (Eicar-Test-Signature)',
    ],
    [{ status: 'held', reason: 'too large to scan' }, 'Held for review: too large to scan'],
    [{ status: 'held', reason: 'encrypted file' }, 'Held for review: encrypted file'],
  ])('should say where a file stands when it is %j', (state, text) => {
    const { element } = render(state);
    expect(element.querySelector('.status')?.textContent?.trim()).toBe(text);
  });

  it('should offer Cancel while the file is scanned, and no Download yet', () => {
    const { buttons } = render({ status: 'scanning' });
    expect(buttons()).toEqual(['Cancel a.txt']);
  });

  it.each<UploadState>([
    { status: 'infected', signature: 'Eicar-Test-Signature' },
    { status: 'held', reason: 'too large to scan' },
  ])('should offer only Remove for a file with the verdict %j', (state) => {
    const { buttons } = render(state);
    expect(buttons()).toEqual(['Remove a.txt']);
  });
});
