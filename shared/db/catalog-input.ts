/** The raw catalog: everything on the `catalog` index, without building the shopper's views. */
import type { CatalogInput } from '../domain/catalog-query.ts';
import type { OcopCertificate } from '../domain/ocop.ts';
import type { Producer } from '../domain/producer.ts';
import type { Product, Variant } from '../domain/product.ts';
import { CATALOG_PARTITION, fromItem, queryAll } from './items.ts';

/** Reads the whole `catalog` index partition: producers, published products, packs, certificates. */
export async function loadCatalogInput(): Promise<CatalogInput> {
  const input = {
    producers: [] as Producer[],
    products: [] as Product[],
    variants: [] as Variant[],
    certificates: [] as OcopCertificate[],
  };
  const items = await queryAll({
    IndexName: 'catalog',
    KeyConditionExpression: 'catalogKey = :catalog',
    ExpressionAttributeValues: { ':catalog': CATALOG_PARTITION },
  });
  for (const item of items) {
    // Search fields stay on products: buildCatalog ranks with them.
    if (item.type === 'product')
      input.products.push({
        ...fromItem<Product>(item),
        searchName: item.searchName,
        searchText: item.searchText,
      } as Product);
    else if (item.type === 'variant') input.variants.push(fromItem<Variant>(item));
    else if (item.type === 'ocop') input.certificates.push(fromItem<OcopCertificate>(item));
    else if (item.type === 'producer') input.producers.push(fromItem<Producer>(item));
  }
  return input;
}
