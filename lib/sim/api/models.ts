import * as models from "@kubernetes/client-node";

/** One field of a generated @kubernetes/client-node model (its attributeTypeMap entry). */
export interface ModelAttribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

type Model = { getAttributeTypeMap?: () => ModelAttribute[] };

/**
 * The fields of a generated model class (V1Pod, V1StatefulSetSpec, CoreV1Event…): the type
 * metadata client-node generates from the Kubernetes OpenAPI. Undefined for names that are not models.
 */
export function attributesOf(model: string): ModelAttribute[] | undefined {
  // client-node exports the model classes as named values; looked up by name, any of them or none.
  return (models as unknown as Record<string, Model | undefined>)[model]?.getAttributeTypeMap?.();
}
