import { describe, expect, it } from 'vitest';
import { guessMapping } from './mapping';

describe('guessMapping', () => {
  it("takes a site's usual headers", () => {
    expect(guessMapping(['受注番号', '商品番号', '個数', '注文者名', 'TEL', 'メール', '配送希望日', 'その他'])).toEqual(
      {
        orderNumber: '受注番号',
        productCode: '商品番号',
        quantity: '個数',
        name: '注文者名',
        phone: 'TEL',
        email: 'メール',
        desiredDeliveryDate: '配送希望日',
      },
    );
  });
});
