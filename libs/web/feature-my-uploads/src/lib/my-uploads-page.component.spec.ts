import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { of } from 'rxjs';
import {
  UPLOAD_STATUSES,
  type UploadPage,
  type UploadRecord,
  type UploadUsage,
} from '@dropgate/shared/api-contract';
import { UploadRecordsApi, type UploadListQuery } from '@dropgate/web/data-access-uploads';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { MyUploadsPageComponent } from './my-uploads-page.component';

const record = (n: number, status: UploadRecord['status'] = 'available'): UploadRecord => ({
  id: `id-${n}`,
  key: `k/${n}`,
  fileName: `file-${n}.pdf`,
  contentType: 'application/pdf',
  size: 1024 * n,
  status,
  method: 'post',
  owner: { issuer: 'i', subject: n % 2 ? 'alice' : 'bob' },
  createdAt: '2026-11-25T10:00:00.000Z',
  expiresAt: '2026-11-25T10:05:00.000Z',
});

class FakeApi {
  readonly queries: UploadListQuery[] = [];
  readonly deleted: string[] = [];
  pages: UploadPage[] = [];
  usages: UploadUsage[] = [{ usedBytes: 0 }];
  usageCalls = 0;
  usage() {
    this.usageCalls += 1;
    return of(this.usages[Math.min(this.usageCalls, this.usages.length) - 1]);
  }
  list(query: UploadListQuery) {
    this.queries.push(query);
    return of(this.pages.shift() ?? { items: [] });
  }
  delete(id: string) {
    this.deleted.push(id);
    return of(null);
  }
  downloadLink() {
    return of({ url: 'about:blank', expiresAt: '' });
  }
}

function render(pages: UploadPage[], scopes: string[] = ['uploads:read'], usages?: UploadUsage[]) {
  const api = new FakeApi();
  api.pages = pages;
  if (usages) api.usages = usages;
  TestBed.configureTestingModule({
    providers: [
      { provide: UploadRecordsApi, useValue: api },
      { provide: AuthSession, useValue: { scopes: signal(scopes) } },
    ],
  });
  const fixture = TestBed.createComponent(MyUploadsPageComponent);
  fixture.detectChanges();
  const element = fixture.nativeElement as HTMLElement;
  const rows = () => [...Array.from(element.querySelectorAll('[data-testid=upload-row]'))];
  const button = (name: string) =>
    Array.from(element.querySelectorAll('button')).find(
      (b) => b.textContent?.trim() === name,
    ) as HTMLButtonElement;
  return { api, fixture, element, rows, button };
}

describe('MyUploadsPageComponent', () => {
  it('should say so when there are no uploads', () => {
    const { element, rows } = render([{ items: [] }]);
    expect(rows()).toHaveLength(0);
    expect(element.textContent).toContain('No uploads yet');
  });

  it('should list name, size, type and status, and load the next page with the cursor', () => {
    const { api, fixture, rows, button } = render([
      { items: [record(1), record(2, 'pending')], nextCursor: 'c1' },
      { items: [record(3, 'rejected')] },
    ]);
    expect(rows().map((r) => r.querySelector('.name')?.textContent?.trim())).toEqual([
      'file-1.pdf',
      'file-2.pdf',
    ]);
    expect(rows()[0].textContent).toContain('1 KB');
    expect(rows()[1].querySelector('.status')?.textContent).toBe('Pending');
    button('Load more').click();
    fixture.detectChanges();
    expect(api.queries[1]).toEqual({ limit: 25, cursor: 'c1', owner: undefined });
    expect(rows()).toHaveLength(3);
    expect(button('Load more')).toBeUndefined();
  });

  it('should delete only after confirming, and show the new status', () => {
    const { api, fixture, rows, element } = render([{ items: [record(1)] }]);
    (element.querySelector('[aria-label="Delete file-1.pdf"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    expect(api.deleted).toEqual([]);
    expect(element.textContent).toContain('Delete file-1.pdf?');
    const confirm = Array.from(element.querySelectorAll('button')).find(
      (b) => b.textContent?.trim() === 'Delete',
    );
    confirm?.click();
    fixture.detectChanges();
    expect(api.deleted).toEqual(['id-1']);
    expect(rows()[0].getAttribute('data-status')).toBe('deleted');
  });

  it('should offer an owner filter, and an owner column, to admins only', () => {
    const user = render([{ items: [record(1)] }]);
    expect(user.element.querySelector('#owner')).toBeNull();
    TestBed.resetTestingModule();
    const admin = render([{ items: [record(1)] }, { items: [record(1), record(2)] }], ['uploads:admin']);
    const input = admin.element.querySelector('#owner') as HTMLInputElement;
    input.value = '*';
    admin.button('Show').click();
    admin.fixture.detectChanges();
    expect(admin.api.queries[1]).toEqual({ limit: 25, cursor: undefined, owner: '*' });
    expect(admin.element.querySelector('thead')?.textContent).toContain('Owner');
  });

  it('should say why each rejected, blocked or held upload is so, the signature for a blocked one', () => {
    const { rows } = render([
      {
        items: [
          { ...record(1, 'rejected'), reason: 'md5_mismatch' },
          { ...record(2, 'rejected'), reason: 'changed_after_verification' },
          { ...record(3, 'infected'), signature: 'Eicar-Test-Signature' },
          { ...record(4, 'held'), reason: 'too_large_to_scan' },
          { ...record(5, 'held'), reason: 'encrypted' },
          { ...record(6, 'held'), reason: 'limits_exceeded' },
          { ...record(7, 'expired'), reason: 'size_mismatch' },
          record(8, 'expired'),
          record(9, 'scanning'),
          record(10),
        ],
      },
    ]);
    const shown = rows().map((r) => [
      r.querySelector('.status')?.textContent?.trim(),
      r.querySelector('[data-testid=status-reason]')?.textContent?.trim(),
    ]);
    expect(shown).toEqual([
      ['Rejected', 'Its bytes did not match the declared MD5'],
      ['Rejected', 'The file changed after it was checked; upload it again'],
      ['Blocked', 'Malware found: Eicar-Test-Signature'],
      ['Held for review', 'Not scanned: too large to scan'],
      ['Held for review', 'Not scanned: encrypted file'],
      ['Held for review', "Not scanned: beyond the scanner's limits"],
      ['Expired', 'Its size did not match the size declared'],
      ['Expired', undefined],
      ['Scanning', undefined],
      ['Stored', undefined],
    ]);
  });

  it('should offer Download only once available, and Delete for every upload the API deletes', () => {
    const { rows } = render([{ items: UPLOAD_STATUSES.map((status, n) => record(n, status)) }]);
    const offered = rows().map((r) =>
      Array.from(r.querySelectorAll('button')).map((b) => b.textContent?.trim()),
    );
    expect(Object.fromEntries(UPLOAD_STATUSES.map((status, n) => [status, offered[n]]))).toEqual({
      pending: ['Delete'],
      scanning: ['Delete'],
      available: ['Download', 'Delete'],
      held: ['Delete'],
      infected: [],
      rejected: [],
      expired: [],
      canceled: [],
      deleted: [],
    });
  });

  it('should show an upload deleted while it was scanned as deleted', () => {
    const { fixture, rows, element } = render([{ items: [record(1, 'scanning')] }]);
    (element.querySelector('[aria-label="Delete file-1.pdf"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    (element.querySelector('button[data-confirm]') as HTMLButtonElement).click();
    fixture.detectChanges();
    expect(rows()[0].getAttribute('data-status')).toBe('deleted');
    expect(rows()[0].querySelector('.status')?.textContent).toBe('Deleted');
  });

  it('should show the person’s usage against their quota, as text and as a meter', () => {
    const { element } = render(
      [{ items: [] }],
      ['uploads:read'],
      [{ usedBytes: 3 * 1024 * 1024, quotaBytes: 12 * 1024 * 1024 }],
    );
    expect(element.querySelector('[data-testid=usage]')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Using 3 MB of 12 MB (25%)',
    );
    const meter = element.querySelector('[role=meter]');
    expect(meter?.getAttribute('aria-valuenow')).toBe(String(3 * 1024 * 1024));
    expect(meter?.getAttribute('aria-valuemax')).toBe(String(12 * 1024 * 1024));
  });

  it('should show the bytes alone, and no meter, when there is no quota', () => {
    const { element } = render([{ items: [] }], ['uploads:read'], [{ usedBytes: 2048 }]);
    expect(element.querySelector('[data-testid=usage]')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Using 2 KB · no storage limit',
    );
    expect(element.querySelector('[role=meter]')).toBeNull();
  });

  it('should ask for the usage again after a delete frees space', () => {
    const { api, fixture, element } = render(
      [{ items: [record(1)] }],
      ['uploads:read'],
      [
        { usedBytes: 1024, quotaBytes: 4096 },
        { usedBytes: 0, quotaBytes: 4096 },
      ],
    );
    (element.querySelector('[aria-label="Delete file-1.pdf"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    (element.querySelector('button[data-confirm]') as HTMLButtonElement).click();
    fixture.detectChanges();
    expect(api.usageCalls).toBe(2);
    expect(element.querySelector('[data-testid=usage]')?.textContent).toContain('Using 0 B of 4 KB');
  });

  it('should keep the row border on the action cell itself, so rows without buttons line up', () => {
    const { rows } = render([{ items: [record(1, 'expired'), record(2)] }]);
    for (const row of rows()) {
      const cell = row.querySelector('td:last-child') as HTMLElement;
      expect(cell.classList.contains('actions-cell')).toBe(true);
      // A table cell that is itself a flex box leaves the table's row layout.
      expect(cell.classList.contains('actions')).toBe(false);
      expect(cell.querySelector(':scope > .actions')).not.toBeNull();
    }
  });
});
