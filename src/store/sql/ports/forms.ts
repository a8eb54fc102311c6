/** The hosted forms port. */
import type { FormPort } from "../../form-ports.js";
import type { FormRow } from "../../inbound-ports.js";
import * as forms from "../forms.js";
import type { SqlSession } from "../session.js";

export class SqlForms implements FormPort {
  constructor(private readonly s: SqlSession) {}

  getFormByKey(key: string) {
    return forms.getFormByKey(this.s.db, this.s.d, key);
  }
  listForms(workspaceId: string) {
    return forms.listForms(this.s.db, this.s.d, workspaceId);
  }
  insertForm(form: FormRow) {
    return forms.insertForm(this.s.db, this.s.d, form);
  }
  updateForm(form: FormRow) {
    return forms.updateForm(this.s.db, this.s.d, form);
  }
  deleteForm(workspaceId: string, id: string) {
    return forms.deleteForm(this.s.db, workspaceId, id);
  }
}
