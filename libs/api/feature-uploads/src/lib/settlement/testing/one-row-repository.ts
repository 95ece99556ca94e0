import type { Owner, Upload, UploadsRepository } from '@dropgate/api/data-access-db';

/** One upload's row, with the lease semantics of the repository's SQL: for settlement specs. */
export class OneRowRepository {
  constructor(public row: Upload) {}

  /** As the services take it. */
  get repository(): UploadsRepository {
    return this as unknown as UploadsRepository;
  }

  async findById() {
    return this.row;
  }

  async claim(_id: string, statuses: readonly string[], holder: string, until: Date, owner?: Owner) {
    if (!statuses.includes(this.row.status) || !this.free()) return undefined;
    if (owner && (this.row.owner_issuer !== owner.issuer || this.row.owner_subject !== owner.subject))
      return undefined;
    this.row = { ...this.row, settling_owner: holder, settling_until: until };
    return this.row;
  }

  /** The row when it waits in `scanning` and is free (the only queue these specs need). */
  async claimDue(_due: unknown, _batch: number, holder: string, until: Date) {
    const claimed = await this.claim(this.row.id, ['scanning'], holder, until);
    return claimed ? [claimed] : [];
  }

  async settle(_id: string, holder: string, to: Upload['status'], fields: Partial<Upload> = {}) {
    if (this.row.settling_owner !== holder) return undefined;
    this.row = { ...this.row, ...fields, status: to, settling_owner: null, settling_until: null };
    return this.row;
  }

  async renew(_id: string, holder: string, until: Date) {
    if (this.row.settling_owner !== holder) return false;
    this.row = { ...this.row, settling_until: until };
    return true;
  }

  async release(_id: string, holder: string, retryAt: Date | null) {
    if (this.row.settling_owner === holder)
      this.row = { ...this.row, settling_owner: null, settling_until: retryAt };
  }

  private free(): boolean {
    return this.row.settling_until === null || this.row.settling_until.getTime() < Date.now();
  }
}
