import { UnsupportedMediaTypeError } from '../../errors.ts';

/** How a forge can send a delivery: a JSON body, or a form with the JSON in its `payload` field. */
export type DeliveryFormat = 'json' | 'form';

/** The format named by a Content-Type header (parameters such as `charset` are allowed). */
export function deliveryFormat(contentType: string | undefined): DeliveryFormat {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  throw new UnsupportedMediaTypeError(contentType);
}
