/** The Data rules pages' classes: the SLA policy pages' (same look), plus the rules' own. */
import sla from "../sla/Sla.module.css";
import own from "./Rules.module.css";

export const styles = { ...sla, ...own };
