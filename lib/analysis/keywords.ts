import type { Category } from "@/lib/analysis/schema";

/*
 * The fallback classifier's vocabulary, French and English, accent-free (matched on folded
 * text, whole words). Each group has a weight towards priority and, for business groups, the
 * category it suggests. Kept as data so a reviewer can read the whole judgement in one screen.
 */

export type KeywordGroup = {
  id: string;
  weight: number;
  category: Category | null;
  words: string[];
};

/** Phrases are written "a|b|c" to keep the lists dense; each entry is a word or a phrase. */
function words(...parts: string[]): string[] {
  return parts.flatMap((p) => p.split("|"));
}

export const KEYWORD_GROUPS: KeywordGroup[] = [
  {
    id: "urgent",
    weight: 3,
    category: null,
    words: words(
      "urgent|urgence|tres urgent|asap|immediatement|sans delai|au plus vite|des que possible",
      "priorite absolue|dernier delai|derniere relance|immediately|as soon as possible|time-sensitive",
      "time sensitive|final notice|last reminder|critique|critical|tout de suite|sans attendre",
      "right away|right now|without delay",
    ),
  },
  {
    id: "legal",
    weight: 5,
    category: "legal",
    words: words(
      "mise en demeure|assignation|huissier|commissaire de justice|proces judiciaire|tribunal",
      "contentieux|plainte|saisie conservatoire|saisie-attribution|saisie sur vos comptes",
      "injonction de payer|sommation|commandement de payer|poursuites judiciaires|lawsuit|legal action",
      "court order|summons|formal notice|subpoena|litigation",
    ),
  },
  {
    id: "taxAudit",
    weight: 5,
    category: "tax",
    words: words(
      "controle fiscal|verification de comptabilite|avis de verification|redressement fiscal",
      "avis de mise en recouvrement|notification de redressement|tax audit|tax assessment notice",
    ),
  },
  {
    id: "termination",
    weight: 4,
    category: "contract",
    words: words(
      "resiliation|resilier|rupture du contrat|rupture de contrat|fin de notre collaboration",
      "termination|terminate the contract|terminate our contract|cancel the contract",
    ),
  },
  {
    // Someone else at the owner's account: only ever severe from the mailbox's own host (judge.ts),
    // the one sender that sees the account's sign-ins.
    id: "accountSecurity",
    weight: 3,
    category: "security",
    words: words(
      "connait votre mot de passe|utilise votre mot de passe|utiliser votre mot de passe",
      "connexion suspecte|tentative de connexion suspecte|activite suspecte|activite inhabituelle",
      "connexion inhabituelle|compte compromis|acces non autorise|bloque une tentative",
      "tentative de connexion bloquee|someone knows your password|used your password|suspicious sign-in",
      "suspicious activity|unusual sign-in|unusual activity|account compromised|compromised account",
      "unauthorized access|blocked a sign-in attempt|sign-in attempt was blocked|someone else signed in",
    ),
  },
  {
    id: "penalty",
    weight: 2,
    category: "payment",
    words: words("penalites|penalite|interets de retard|majoration|late fee|penalty|penalties"),
  },
  {
    id: "contract",
    weight: 2,
    category: "contract",
    words: words(
      "contrat|convention|avenant|accord-cadre|accord cadre|term sheet|bon de commande",
      "protocole d'accord|lettre d'intention|bail commercial|bail|contract|lease|agreement",
      "purchase order|memorandum of understanding|mou",
    ),
  },
  {
    id: "sign",
    weight: 2,
    category: "contract",
    words: words(
      "signature|signer|a signer|parapher|please sign|sign the|to sign|for signature|signing|signe",
      "signee|signed|signed copy|docusign|countersign",
    ),
  },
  {
    id: "payment",
    weight: 2,
    category: "payment",
    words: words(
      "facture|impaye|impayee|impayes|relance|reglement|paiement|virement|echeance|echue|solde du",
      "arrieres|avis de debit|invoice|overdue|unpaid|outstanding balance|payment|wire transfer",
      "remittance|past due",
    ),
  },
  {
    id: "bank",
    weight: 2,
    category: "bank",
    words: words(
      "banque|rib|iban|compte bancaire|decouvert|caution bancaire|garantie bancaire|lettre de credit",
      "credit documentaire|swift|bank|overdraft|letter of credit|bank guarantee|loan",
    ),
  },
  {
    id: "tax",
    weight: 2,
    category: "tax",
    words: words(
      "dgi|impots|direction generale des impots|declaration fiscale|regularite fiscale|tva|cnps",
      "tax authority|tax return|vat return",
    ),
  },
  {
    id: "customs",
    weight: 2,
    category: "customs",
    words: words(
      "douane|douanes|dedouanement|conteneur|port autonome|transitaire|connaissement|magasinage",
      "surestaries|customs|clearance|container|demurrage|bill of lading",
    ),
  },
  {
    id: "tender",
    weight: 2,
    category: "tender",
    words: words(
      "appel d'offres|appel d'offre|dossier d'appel|soumission|offre technique|offre financiere",
      "marche public|adjudication|tender|request for proposal|rfp|bid|bidding",
    ),
  },
  {
    id: "blocked",
    weight: 2,
    category: null,
    words: words(
      "bloque|bloquee|suspendu|rupture de stock|arret de production|panne|hors service",
      "ne fonctionne plus|incident majeur|greve|blocked|on hold|outage|is down|not working|strike",
      "shutdown",
    ),
  },
  {
    id: "hr",
    weight: 1.5,
    category: "hr",
    words: words(
      "conge|conges|recrutement|candidature|salaire|paie|demission|licenciement|preavis",
      "entretien annuel|ressources humaines|entretien d'embauche|leave request|payroll|resignation",
      "hiring|job application|interview|candidate",
    ),
  },
  {
    id: "quote",
    weight: 2,
    category: "supplier",
    words: words(
      "devis|proforma|facture proforma|offre de prix|cotation|quotation|quote|price offer|demande de prix",
      "vos prix|vos tarifs|request for quotation|rfq|price list|your prices|your rates",
    ),
  },
  {
    id: "complaint",
    weight: 2,
    category: "client",
    words: words(
      "reclamation|litige|endommage|endommages|defectueux|non conforme|un avoir|note d'avoir|complaint",
      "damaged|defective|refund|rejected",
    ),
  },
  {
    id: "delivery",
    weight: 1,
    category: "supplier",
    words: words(
      "retard de livraison|livraison|commande|expedition|reportee|delivery|shipment|order|delayed",
    ),
  },
  {
    id: "business",
    weight: 2,
    category: "client",
    words: words(
      "partenariat|proposition commerciale|distribution exclusive|investissement|partnership",
      "distribution agreement|investment|joint venture",
    ),
  },
  {
    id: "finance",
    weight: 1.5,
    category: null,
    words: words(
      "audit|commissaire aux comptes|commissariat aux comptes|etats financiers|bilan|budget|tresorerie",
      "financial statements|auditor|cash flow",
    ),
  },
  {
    id: "meeting",
    weight: 1,
    category: "meeting",
    words: words(
      "reunion|rendez-vous|rdv|conseil d'administration|assemblee generale|comite de direction",
      "visioconference|convocation|meeting|board meeting|conference call|appointment|agenda",
    ),
  },
  {
    id: "ask",
    weight: 2,
    category: null,
    words: words(
      "merci de me rappeler|rappelez-moi|appelez-moi|pouvez-vous|pourriez-vous|peux-tu|pourrais-tu",
      "rappelle-moi|appelle-moi|tu peux m'appeler|peux-tu m'appeler|passe me voir|viens me voir",
      "passez me voir|venez me voir|call me back|ring me|give me a call",
      "seriez-vous disponible|merci de confirmer|merci de nous confirmer|merci de valider",
      "merci de nous indiquer|merci de m'indiquer|veuillez confirmer|veuillez nous indiquer",
      "votre accord|votre validation|valider ma demande|votre avis|ton avis|merci de me faire part",
      "ton accord|ta validation|ton arbitrage|votre arbitrage|pour arbitrage|ta decision|votre decision",
      "pour decision|pour validation|your decision|for your decision|for your approval|your sign-off",
      "merci de nous faire part|votre retour|nous avons besoin|j'ai besoin|en discuter|d'en parler",
      "call me|please call|could you|can you|please confirm|please approve|your approval|your comments",
      "let me know|we need|i need|to discuss|are you available|would you be available",
      "est requis|est requise|sont requis|is required|are required|must be paid|a regler|a payer avant",
    ),
  },
];

/** Marketing and mass-mail vocabulary: lowers priority, and with bulk headers means spam. */
export const PROMO_WORDS = words(
  "promo|promotion|soldes|reduction|offre speciale|offre exceptionnelle|code promo",
  "livraison gratuite|black friday|jeu concours|profitez|prix casses|bons plans|derniers jours",
  "exclusivite|remise exceptionnelle|decouvrez nos|decouvrez notre|abonnez-vous|gratuit|gratuite",
  "essai gratuit|free trial|for free|discount|sale|deal|free shipping|limited time|special offer",
  "shop now|buy now|exclusive offer|% off|order now|commandez maintenant|achetez maintenant|last call",
  "last chance|derniere chance|offer ends|l'offre se termine|factory prices|prix usine|prix d'usine",
);

/** Newsletters and mass information: not spam, rarely worth a WhatsApp. */
export const NEWSLETTER_WORDS = words(
  "newsletter|lettre d'information|revue de presse|webinaire|webinar|inscrivez-vous",
  "vous recevez cet e-mail|vous recevez ce message|se desabonner|desinscription|unsubscribe",
  "you are receiving this|digest|edition du",
);

/** Scams that are not about bank details: lottery, inheritance, crypto. */
export const SCAM_WORDS = words(
  "vous avez gagne|loterie|heritage|beneficiaire d'un fonds|million de dollars|bitcoin|crypto",
  "investissement garanti|vous avez remporte|reclamez votre gain|you have won|you won|you've won",
  "claim your prize|lottery|inheritance|next of kin|guaranteed returns|retour garanti|rendement garanti",
  "gains garantis|robot de trading|trading robot|doublez votre capital|double your money",
  "multiplie leur capital|multipliez votre capital|multiply your capital",
);

/**
 * Phrases that deny or defuse a keyword ("aucune urgence", "not urgent", "disponible
 * immédiatement"): removed before counting.
 */
export const NEUTRALIZED = words(
  "aucune urgence|pas d'urgence|rien d'urgent|pas urgent|pas tres urgent|sans urgence|no urgency",
  "not urgent|no rush|nothing urgent|disponible immediatement|available immediately",
  "pour toute demande urgente|for urgent matters|aucune action requise|aucune action n'est requise",
  "no action is required|no action required",
);

/**
 * The seller's voice — someone offering their product or services to the reader ("notre solution",
 * "démo gratuite", "we help companies"), as opposed to a client's ("votre gamme nous intéresse").
 * From a first contact it is a cold pitch: of no interest, however polite.
 */
export const PITCH_WORDS = words(
  "notre solution|nos solutions|notre offre|nos offres|notre plateforme|notre logiciel|notre application",
  "notre expertise|notre cabinet vous|notre agence|demo gratuite|demonstration gratuite|essai gratuit",
  "nous vous proposons|je vous propose|permettez-moi de vous presenter|nous aidons les entreprises",
  "nous accompagnons les entreprises|boostez|our solution|our platform|our software|our agency",
  "free demo|free trial|we help companies|we help businesses|i would like to introduce|let me introduce",
  "book a demo|schedule a demo|boost your|grow your business|developpez votre|we can get you|we can help you",
  "our packages|our services start|nos forfaits|nos packs|free audit|audit gratuit|book a call|book a 15-minute call",
  "schedule a call|prenez rendez-vous avec notre|starting at only|a partir de seulement",
);

/**
 * Confirmations that something already happened and nothing is asked: an email that carries money
 * or a date because it reports them ("avis de crédit", "prélevé automatiquement"), not because
 * the reader must act.
 */
export const NO_ACTION_NOTICE = words(
  "aucune action requise|aucune action n'est requise|aucune action de votre part|aucune demarche",
  "vous n'avez rien a faire|rien a faire de votre part|a titre d'information|a titre informatif",
  "pour information|avis de credit|avis d'operation|a ete credite|a ete creditee|ont ete credites",
  "a ete debite|a ete preleve|a ete prelevee|preleve automatiquement|prelevement automatique",
  "paiement recu|nous avons bien recu votre paiement|votre paiement a ete recu|accuse de reception",
  "nous accusons reception|a ete traite avec succes|a bien ete enregistre|a bien ete enregistree",
  "no action is required|no action required|no action needed|no further action|nothing to do",
  "for your information|for your records|has been credited|has been debited|payment received",
  "we have received your payment|receipt for your payment|has been processed successfully",
  "has been successfully processed|was processed successfully|pour info|ont ete livres|a ete livre",
  "a ete livree|ont ete livrees|a ete effectue|a ete effectuee|delivre le|vous confirmons",
  "avons le plaisir de vous confirmer|we are pleased to confirm|this is to confirm|has been confirmed",
  "bon a enlever|is on its way|est en route|has been delivered|a ete expedie|a ete expediee",
  // The owner's own action, reported back to him.
  "vous avez valide|vous avez effectue|vous avez initie|vous avez autorise|you have approved",
  "you approved|you have authorized|you authorized|you initiated|you have initiated",
);

/**
 * The footer of a service writing to one of its account holders ("This email was intended for
 * Serge N'Guessan", "vous recevez cet e-mail car vous avez un compte"): the owner has an account
 * there, so its mail is solicited, advertising included.
 */
export const ACCOUNT_HOLDER = words(
  "this email was intended for|this e-mail was intended for|this message was intended for",
  "cet e-mail est destine a|cet email est destine a|ce message est destine a|cet e-mail etait destine a",
  "because you have an account|car vous avez un compte|parce que vous avez un compte",
);

/**
 * "If this wasn't you, contact us immediately": the security line of every notice, conditional on
 * something the reader did not do. Its urgency is not the email's: the sentence is dropped before
 * the keyword groups are counted.
 */
export const DISCLAIMER_SENTENCE =
  /(?:^|(?<=[.!?\n]))\s*(?:si (?:vous n'etes pas a l'origine|ce n'est pas vous|ce n'etait pas vous|vous ne reconnaissez pas|vous n'avez pas (?:effectue|demande|initie|autorise))|if (?:you did not|you didn't|this wasn't you|this was not you|it wasn't you|you do not recognize|you don't recognize))[^.!?\n]*/g;

/**
 * Who bought from whom, told by the grammatical person of the order (folded text): the buyer
 * writes about *their* order ("ma commande", "nous n'avons pas reçu", "vos tarifs" — the reader's
 * prices), the seller about *the reader's* ("votre commande", "nous avons expédié", "notre devis").
 * Generic pronoun + object pairs, not one email's words: they decide client against supplier.
 * "Votre livraison" is in neither: the buyer says it of the delivery they got ("à la réception de
 * votre livraison"), the seller of the one to come.
 */
export const BUYER_VOICE = words(
  "ma commande|mes commandes|notre commande|nos commandes|j'ai commande|nous avons commande",
  "j'ai passe commande|j'ai passe une commande|nous avons passe commande|nous avons passe une commande",
  "je n'ai pas recu|je n'ai toujours pas recu|nous n'avons pas recu|nous n'avons toujours pas recu",
  "mon colis|notre colis|ma livraison|notre livraison|annuler ma commande|annuler notre commande",
  "je vais annuler|nous allons annuler|je vais devoir annuler|me rembourser|nous rembourser",
  "votre devis|votre offre de prix|votre proforma|vos prix|vos tarifs|votre catalogue",
  "my order|our order|my orders|our orders|i ordered|we ordered|i placed an order|we placed an order",
  "i have not received|i haven't received|we have not received|we haven't received|my package|our package",
  "my delivery|our delivery|cancel my order|cancel our order|refund me|refund us",
  "your quote|your quotation|your prices|your price list|your rates|your catalogue",
  "demande de cotation|demande de devis|demande de prix|votre meilleure offre|votre meilleur prix",
  "request for quotation|request for a quote|rfq|your best offer|your best price",
  "toujours pas livre|toujours pas livree|toujours pas livres|jamais ete livre|n'est toujours pas arrive",
  "ne sont toujours pas arrives|jamais arrive|vous m'aviez promis|vous nous aviez promis",
  "still not delivered|never arrived|has not arrived|hasn't arrived|have not arrived|you promised",
  // A prospect asking whether the reader can supply them: the buyer's voice before any order.
  "pouvez-vous fournir|pourriez-vous fournir|pouvez-vous nous fournir|pourriez-vous nous fournir",
  "en mesure de fournir|en mesure de nous fournir|en mesure de livrer|vos produits|votre gamme",
  "recherchons un fournisseur|recherchons des fournisseurs|cherchons un fournisseur|nous souhaitons commander",
  "nous souhaiterions commander|nous souhaitons acquerir|nous envisageons de commander|besoin d'une offre",
  "can you supply|could you supply|able to supply|can supply|could supply|whether you can supply",
  "looking for a supplier|looking for suppliers|we wish to order|we would like to order",
  "we intend to order|your products|your range|interested in your products|interested in sourcing",
);

export const SELLER_VOICE = words(
  "votre commande|vos commandes|votre colis|votre bon de commande",
  "nous avons expedie|nous avons livre|nous vous livrerons|notre devis|notre offre de prix|notre proforma",
  "nos prix|nos tarifs|notre catalogue|notre facture|nos conditions de vente",
  "your order|your orders|your shipment|your package|your purchase order",
  "we have shipped|we shipped|we will deliver|our quote|our quotation|our price list|our prices",
  "our rates|our catalogue|our invoice|our terms of sale",
  // A trade offer: the seller's factory, supply and price. Trade terms both sides write (FOB, EXW,
  // MOQ, "in stock?", "your best price") are not here: a buyer's request for a quote uses them too.
  "prix special|special price|price for you|meilleur prix pour vous|notre usine|our factory",
  "manufacturer of|fabricant de|nous fabriquons|we manufacture|we supply|nous fournissons",
  "we can offer|nous pouvons vous offrir|price valid|prix valable",
);

/** The owner asked to call or to come ("rappelle-moi", "passez me voir", "give me a call"). */
export const CALL_REQUEST =
  /\b(?:rappelle[rz]?-moi|appelle[rz]?-moi|rappelez-moi|appelez-moi|m'appeler|me rappeler|me telephoner|passe[rz]? me voir|viens me voir|venez me voir|call me|give me a call|phone me|ring me|come and see me|come to see me)\b/;

/**
 * The courtesy that makes a call an offer, not an ask ("n'hésitez pas à me rappeler", "call me if
 * you have any questions"), in the same sentence as the call.
 */
export const CALL_COURTESY =
  /\b(?:n'hesite[rz]? pas|si besoin|au besoin|si necessaire|en cas de (?:besoin|question|souci|probleme)|pour toute (?:question|information)|si vous (?:avez|souhaitez|voulez)|si tu (?:as|veux)|feel free|(?:don't|do not) hesitate|if (?:you|needed|necessary|required)|should you|any questions)\b/;
