import { editFileTemplate } from '../editDefaults';
import { InputError } from '../errors';
import { defaultFileNameTemplate } from '../naming';
import type { GenerationRequest, InputImage } from '../request';
import type { ImageToolCall } from './toolArgs';
import { isUrlReference } from './toolArgs';

/** Reads one confined input (the host checks the path first); a string is the reason it cannot. */
export type LoadToolImage = (reference: string, role: 'Image' | 'Mask') => Promise<InputImage | string>;

/**
 * The GenerationRequest an agent's call stands for: the same one `gpt-image generate`/`edit`
 * builds from the same values (cli/imageCommand.ts). Throws InputError naming every unreadable
 * input; nothing has been sent then.
 */
export async function toolRequest(call: ImageToolCall, load: LoadToolImage): Promise<GenerationRequest> {
  const issues: string[] = [];
  const read = async (reference: string, role: 'Image' | 'Mask'): Promise<InputImage | undefined> => {
    if (isUrlReference(reference)) return { kind: 'url', url: reference };
    const loaded = await load(reference, role);
    if (typeof loaded === 'string') {
      issues.push(loaded);
      return undefined;
    }
    return loaded;
  };
  const images = await Promise.all(call.images.map((image) => read(image, 'Image')));
  const mask = call.mask === undefined ? undefined : await read(call.mask, 'Mask');
  if (issues.length > 0) throw new InputError(issues);
  return {
    provider: call.provider,
    model: call.model,
    prompt: call.prompt,
    size: call.size,
    quality: call.quality,
    background: call.background,
    outputFormat: call.outputFormat,
    n: call.n,
    inputImages: images.filter((image): image is InputImage => image !== undefined),
    mask,
  };
}

/**
 * The file-name template for a call: the `name` stem (numbered with {index} when several images
 * come back), an edit's `<name>-edit-<n>`, or the default. The writer never overwrites either way.
 */
export function toolTemplate(call: ImageToolCall, existingNames: readonly string[], sourceName: string | undefined): string {
  if (call.name !== undefined) return call.n > 1 ? `${call.name}-{index}` : call.name;
  if (call.kind === 'edit') return editFileTemplate(existingNames, sourceName ?? 'image', call.n);
  return defaultFileNameTemplate;
}
