/** The Scoring pages' classes: the SLA policy pages' (same look: cards, fields, switches), plus scoring's own. */
import sla from "../sla/Sla.module.css";
import own from "./Scoring.module.css";

export const styles = { ...sla, ...own };
