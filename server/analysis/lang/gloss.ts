/**
 * A word-for-word English gloss of German, French and Spanish customer text, for the parts that
 * compare text with English definitions: a site's topic taxonomy (names, descriptions, example
 * phrases are usually written once, in English) and expectation kinds. Only customer-service
 * vocabulary is glossed (orders, delivery, refunds, sizes, prices, payment, the shop, staff,
 * stock, accounts, defects); other words are dropped, which a kNN over examples tolerates.
 * Lookups go through Maps (stems and lower-case words).
 */
import { stem, tokenize, type Lang } from './tokens.ts';

const DE = `
bestellung=order bestellt=ordered bestellen=order bestellnummer=order lieferung=delivery liefern=deliver geliefert=delivered
lieferzeit=delivery_time versand=shipping versandkosten=shipping_costs verschickt=shipped paket=parcel päckchen=parcel sendung=parcel
sendungsverfolgung=tracking tracking=tracking kurier=courier zusteller=courier post=courier dhl=courier angekommen=arrived ankommen=arrive
da=arrived spät=late verspätet=late verspätung=late schnell=fast schnelle=fast pünktlich=on_time warte=waiting warten=waiting
zurückgeschickt=sent_back zurücksenden=return rücksendung=return retoure=return umtauschen=exchange umtausch=exchange rückerstattung=refund
erstattung=refund erstatten=refund geld=money zurück=back gutschrift=refund
qualität=quality naht=stitching nähte=stitching kaputt=broken defekt=defective beschädigt=damaged aufgegangen=came_loose material=material
stoff=fabric verarbeitung=made verarbeitet=made wirkt=works funktioniert=works fotos=photos bilder=photos fliesen=product produkt=product
artikel=item ladegerät=product gift=product brennen=broken heiß=broken
größe=size größen=size größentabelle=size_chart klein=small groß=big eng=tight passt=fits passen=fit sitzt=fits schuhe=shoes kleid=dress hose=trousers
preis=price preise=prices teuer=expensive günstig=cheap billig=cheap rabatt=discount rabattcode=discount_code gutschein=coupon gutscheincode=coupon
angewendet=applied reduzierte=sale reduziert=sale kosten=costs
bezahlen=pay bezahlt=paid zahlung=payment rechnung=invoice abgebucht=charged abbuchung=charge karte=card kreditkarte=card paypal=paypal zweimal=twice doppelt=twice
seite=site webseite=site website=site app=app langsam=slow fehler=error fehlermeldung=error warenkorb=cart kasse=checkout bezahlvorgang=checkout
kundenservice=customer_service kundendienst=customer_service service=service support=support mitarbeiter=agent telefon=phone
freundlich=friendly unfreundlich=rude geholfen=helpful hilfsbereit=helpful antwort=answer gemeldet=got_back meldet=get_back niemand=nobody
fleck=stain ausverkauft=sold_out verfügbar=available lager=stock vorrätig=in_stock
reklamation=complaint rückruf=call_back anrufen=call adresse=address ersatzgerät=replacement wasserkocher=product
konto=account kundenkonto=account passwort=password anmelden=log_in einloggen=log_in abo=subscription kündigen=cancel stornieren=cancel`;

const FR = `
commande=order commandé=ordered livraison=delivery livrer=deliver livré=delivered livrée=delivered livrez=deliver expédition=shipping expédié=shipped
colis=parcel suivi=tracking transporteur=courier poste=courier arrivé=arrived arrivée=arrived arriver=arrive retard=late rapide=fast
rembourser=refund remboursement=refund remboursée=refunded remboursé=refunded retour=return renvoyer=send_back échange=exchange échanger=exchange
qualité=quality cassé=broken cassée=broken abîmé=damaged défectueux=defective tissu=fabric matière=material produit=product article=item
taille=size tailles=size grand=big grande=big petit=small petite=small serré=tight confortable=fits robe=dress chaussures=shoes
prix=price prix=prices cher=expensive chère=expensive augmenté=went_up réduction=discount promo=discount code=code
payer=pay paiement=payment facture=invoice débitée=charged débité=charged prélevé=charged carte=card deux=twice fois=times bancaires=card
site=site application=app lent=slow erreur=error panier=cart
service=service client=customer réactif=quick aimable=friendly réponse=answer réglé=sorted
tache=stain taché=stained pull=sweater rupture=out_of_stock disponible=available stock=stock
rappeler=call_back rappelée=call_back rappelé=call_back appel=call adresse=address plante=crashes emballage=packaging
compte=account connecter=log_in connexion=log_in mot=password passe=password annuler=cancel abonnement=subscription`;

const ES = `
pedido=order pedí=ordered envío=shipping enviar=ship entrega=delivery llegado=arrived llegó=arrived llegar=arrive llegaría=arrive llegara=arrive
paquete=parcel seguimiento=tracking mensajero=courier retraso=late rápido=fast rapidísimo=fast tarde=late
reembolso=refund devolver=return devolución=return devuelvan=refund dinero=money cambio=exchange cambiar=change cambien=exchange dirección=address llamada=call llamar=call
calidad=quality roto=broken rota=broken dañado=damaged defectuoso=defective suela=sole despegó=came_loose material=material tela=fabric producto=product
cargador=product sobrecalentó=broken
talla=size tallas=size grande=big pequeño=small pequeña=small zapatillas=shoes camiseta=shirt vestido=dress equivocada=wrong_size
precio=price precios=prices caro=expensive cara=expensive barato=cheap cuesta=costs descuento=discount cupón=coupon
pagar=pay pago=payment factura=invoice cobrado=charged cobro=charge tarjeta=card
web=site página=site aplicación=app lenta=slow error=error carrito=cart compra=purchase comprar=buy
atención=service cliente=customer amables=friendly amable=friendly responde=answers respuesta=answer correos=emails resolvieron=sorted
mancha=stain manchado=stained abrigo=coat agotado=sold_out disponible=available stock=stock color=colour modelo=item
cuenta=account contraseña=password cancelar=cancel suscripción=subscription baja=cancel`;

// Phrases first, so their words are not glossed one by one.
const PHRASES: Record<Exclude<Lang, 'en'>, [RegExp, string][]> = {
  de: [
    [/geld zurück/giu, ' refund '],
    [/mit rechnung bezahlen|auf rechnung/giu, ' pay invoice '],
    [/nicht (?:angekommen|da)/giu, ' has not arrived '],
    [/wie auf den fotos/giu, ' as in the photos '],
  ],
  fr: [
    [/service client/giu, ' customer service '],
    [/mot de passe/giu, ' password '],
    [/pas arrivée?/giu, ' has not arrived '],
    [/en rupture de stock/giu, ' out of stock '],
  ],
  es: [
    [/atención al cliente/giu, ' customer service '],
    [/devuelvan el dinero|devolver el dinero/giu, ' refund '],
    [/no ha llegado/giu, ' has not arrived '],
    [/dar(?:me)? de baja/giu, ' cancel '],
    [/pago con tarjeta/giu, ' card payment '],
  ],
};

const maps = new Map<Lang, Map<string, string>>();
function glossary(lang: Exclude<Lang, 'en'>): Map<string, string> {
  let m = maps.get(lang);
  if (m) return m;
  m = new Map();
  for (const item of { de: DE, fr: FR, es: ES }[lang].trim().split(/\s+/)) {
    const [word = '', english = ''] = item.split('=');
    const en = english.replace(/_/g, ' ');
    m.set(word, en);
    if (!m.has(`~${stem(word, lang)}`)) m.set(`~${stem(word, lang)}`, en);
  }
  maps.set(lang, m);
  return m;
}

/** English words for the customer-service vocabulary of `text`; English text is returned as is. */
export function glossToEnglish(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  const out: string[] = [];
  let t = text;
  // a phrase's gloss stands where the phrase was; its words are not glossed again
  for (const [re, en] of PHRASES[lang]) t = t.replace(re, () => ` \u0001${out.push(en.trim()) - 1}\u0001 `);
  const g = glossary(lang);
  const words: string[] = [];
  for (const piece of t.split(/\u0001/)) {
    if (/^\d+$/.test(piece)) {
      words.push(out[Number(piece)] ?? '');
      continue;
    }
    for (const tok of tokenize(piece, lang)) {
      if (tok.kind !== 'word') continue;
      const en = g.get(tok.lower) ?? g.get(`~${tok.stem}`);
      if (en !== undefined) words.push(en);
    }
  }
  return words.filter(Boolean).join(' ');
}
