/**
 * A fit rule that reads an AI prediction (docs/scoring.md "AI prediction rules"): the
 * conversion model of the scored object whose predicted chance to convert the rule gives points
 * for — chance × points, one decimal, so its points are the most it gives — and that sentence,
 * which is also what a reader of the model sees ("chance to convert × 30 points from AI model
 * Lead conversion"). The models come from GET /api/v1/ai/models (the conversion ones of this
 * object); a model that is off or untrained gives 0, and the rule says so.
 */
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type AiModel, aiModelsQuery, conversionModelsOf } from "../ai/data";
import { PanelField } from "../builder/panels/PanelField";
import { styles } from "./styles";

export function PredictionRule({
  path,
  name,
  object,
  objectLabel,
  prediction,
  points,
  onChange,
}: {
  path: string;
  /** The rule's name as the editor shows it ("Predicted to convert", or "Rule 2"). */
  name: string;
  object: string;
  /** "lead", as the sentences say it. */
  objectLabel: string;
  prediction: string;
  points: string;
  onChange: (prediction: string) => void;
}) {
  const models = useQuery(aiModelsQuery);
  const usable = conversionModelsOf(models.data ?? [], object);
  const chosen = usable.find((m) => m.name === prediction);
  // A name the stored rule has that no conversion model of this object has any more stays visible (and the server says so).
  const gone = prediction !== "" && models.data !== undefined && chosen === undefined;
  return (
    <>
      <PanelField
        path={`${path}.prediction`}
        label={`AI model ${name} reads`}
        hint={
          models.data && usable.length === 0 ? (
            <>
              No conversion model of {objectLabel}s yet: make one on the <Link to="/ai">AI models</Link> page.
            </>
          ) : (
            `A conversion model of ${objectLabel}s: it predicts the chance a ${objectLabel} converts.`
          )
        }
      >
        {(c) => (
          <select {...c} className={styles.select} value={prediction} onChange={(e) => onChange(e.target.value)}>
            <option value="">Choose a model…</option>
            {usable.map((m) => (
              <option key={m.id} value={m.name}>
                {m.name}
              </option>
            ))}
            {gone ? <option value={prediction}>{prediction} (not found)</option> : null}
          </select>
        )}
      </PanelField>
      <p className={styles.muted} data-testid="prediction-words">
        {predictionWords(prediction, points)}
        {chosen ? stateWords(chosen) : ""}
      </p>
    </>
  );
}

/** "Gives the chance to convert × 30 points from AI model Lead conversion (27.4 at a 91.3 % chance)." */
export function predictionWords(prediction: string, points: string): string {
  const n = Number(points.trim());
  const most = points.trim() !== "" && Number.isFinite(n) ? n : undefined;
  const from = prediction ? `from AI model ${prediction}` : "from the AI model chosen above";
  if (most === undefined) return `Gives the chance to convert × its points ${from}.`;
  const example = Math.round(0.75 * most * 10) / 10;
  return `Gives the chance to convert × ${most} points ${from}: at most ${most}; a 75 % chance gives ${example}.`;
}

/** Why the model gives nothing now, when it does not. */
function stateWords(m: AiModel): string {
  if (m.training === null) return ` ${m.name} is not trained yet: the rule gives 0 until it is trained and turned on.`;
  if (!m.enabled) return ` ${m.name} is off: the rule gives 0 until an admin turns it on.`;
  return "";
}
