import { type AssetClass, parseSymbol } from '@stockade/core';
import { unitOf } from './prng.js';

/** A stock split, as the exchange announced it. */
export interface SplitEvent {
  /** Ex-date, New York, `YYYY-MM-DD`. */
  date: string;
  /** New shares per `denominator` old shares (4 in a 4:1 split). */
  numerator: number;
  /** Old shares (1 in a 4:1 split). */
  denominator: number;
}

/** What the simulator knows about one instrument: the parameters of its price path and its labels. */
export interface SymbolProfile {
  /** Canonical symbol (core grammar), e.g. `BRK.B`, `BTC-USD`, `^GSPC`, `EURUSD=X`. */
  symbol: string;
  /** Asset class from the canonical grammar. */
  assetClass: AssetClass;
  /** Long name, e.g. `Apple Inc.`. */
  longName: string;
  /** Short name, e.g. `Apple Inc.`. */
  shortName: string;
  /** Centre of the price path's mean reversion, in `currency`. */
  basePrice: number;
  /** Annualised volatility of the path in its normal regime, e.g. `0.28`. */
  annualVol: number;
  /** Typical volume of a trading day, in shares or coins (0 for indices and fx). */
  dailyVolume: number;
  /** Yahoo's exchange code (`NMS`, `NYQ`, `PCX`, `CCC`, `SNP`, `CCY`). */
  exchange: string;
  /** Yahoo's exchange display name (`NasdaqGS`, `NYSE`, `NYSEArca`, `CCC`, `SNP`, `CCY`). */
  fullExchangeName: string;
  /** Currency prices are quoted in. */
  currency: string;
  /** First trade, epoch seconds (what Yahoo reports as `firstTradeDate`). */
  firstTradeDate: number;
  /** Annual dividend yield as a fraction (`0.005`), 0 for none. */
  dividendYield: number;
  /** Splits since 2000, oldest first. */
  splits: readonly SplitEvent[];
}

type Row = [
  symbol: string,
  longName: string,
  basePrice: number,
  annualVol: number,
  dailyVolume: number,
  exchange: string,
  firstTradeDate: number,
  dividendYield: number,
  splits?: SplitEvent[],
];

const EXCHANGE_NAMES: Readonly<Record<string, string>> = {
  NMS: 'NasdaqGS',
  NYQ: 'NYSE',
  PCX: 'NYSEArca',
  CCC: 'CCC',
  SNP: 'SNP',
  DJI: 'DJI',
  NIM: 'Nasdaq GIDS',
  CCY: 'CCY',
  GER: 'XETRA',
};

// Real names, listing dates and splits; prices and volumes are round figures of the right size.
const KNOWN: readonly Row[] = [
  [
    'AAPL',
    'Apple Inc.',
    190,
    0.28,
    55e6,
    'NMS',
    345479400,
    0.005,
    [{ date: '2020-08-31', numerator: 4, denominator: 1 }],
  ],
  ['MSFT', 'Microsoft Corporation', 420, 0.26, 22e6, 'NMS', 511108200, 0.008],
  [
    'GOOGL',
    'Alphabet Inc.',
    170,
    0.3,
    25e6,
    'NMS',
    1092922200,
    0.005,
    [{ date: '2022-07-18', numerator: 20, denominator: 1 }],
  ],
  [
    'AMZN',
    'Amazon.com, Inc.',
    185,
    0.32,
    40e6,
    'NMS',
    863703000,
    0,
    [{ date: '2022-06-06', numerator: 20, denominator: 1 }],
  ],
  [
    'NVDA',
    'NVIDIA Corporation',
    120,
    0.5,
    250e6,
    'NMS',
    917015400,
    0.0003,
    [
      { date: '2021-07-20', numerator: 4, denominator: 1 },
      { date: '2024-06-10', numerator: 10, denominator: 1 },
    ],
  ],
  ['META', 'Meta Platforms, Inc.', 500, 0.38, 15e6, 'NMS', 1337347800, 0.004],
  [
    'TSLA',
    'Tesla, Inc.',
    250,
    0.6,
    90e6,
    'NMS',
    1277818200,
    0,
    [
      { date: '2020-08-31', numerator: 5, denominator: 1 },
      { date: '2022-08-25', numerator: 3, denominator: 1 },
    ],
  ],
  ['BRK.B', 'Berkshire Hathaway Inc.', 410, 0.18, 3.5e6, 'NYQ', 831648600, 0],
  ['JPM', 'JPMorgan Chase & Co.', 200, 0.22, 9e6, 'NYQ', 322151400, 0.023],
  ['BABA', 'Alibaba Group Holding Limited', 90, 0.4, 15e6, 'NYQ', 1411133400, 0.011],
  ['IBM', 'International Business Machines Corporation', 180, 0.22, 4e6, 'NYQ', -252322200, 0.037],
  ['SPY', 'SPDR S&P 500 ETF Trust', 500, 0.16, 60e6, 'PCX', 728317800, 0.013],
  ['QQQ', 'Invesco QQQ Trust, Series 1', 440, 0.2, 40e6, 'NMS', 921076200, 0.006],
  ['IWM', 'iShares Russell 2000 ETF', 200, 0.22, 25e6, 'PCX', 959347800, 0.012],
  ['BTC-USD', 'Bitcoin USD', 60000, 0.55, 450000, 'CCC', 1410912000, 0],
  ['ETH-USD', 'Ethereum USD', 3000, 0.65, 4e6, 'CCC', 1510185600, 0],
  ['SOL-USD', 'Solana USD', 150, 0.8, 15e6, 'CCC', 1586476800, 0],
  ['^GSPC', 'S&P 500', 5000, 0.16, 0, 'SNP', -1325583000, 0],
  ['^DJI', 'Dow Jones Industrial Average', 39000, 0.15, 0, 'DJI', 475857000, 0],
  ['^IXIC', 'NASDAQ Composite', 16000, 0.2, 0, 'NIM', 34612200, 0],
  ['EURUSD=X', 'EUR/USD', 1.08, 0.07, 0, 'CCY', 1070236800, 0],
  ['GBPUSD=X', 'GBP/USD', 1.27, 0.08, 0, 'CCY', 1070236800, 0],
  ['USDJPY=X', 'USD/JPY', 150, 0.09, 0, 'CCY', 846633600, 0],
  ['WSU.DE', 'WashTec AG', 40, 0.3, 20000, 'GER', 930463200, 0.03],
];

const SHORT_NAMES: Readonly<Record<string, string>> = {
  'BRK.B': 'Berkshire Hathaway Inc. New',
  BABA: 'Alibaba Group Holding Limited',
  IBM: 'International Business Machines',
  SPY: 'SPDR S&P 500',
  QQQ: 'Invesco QQQ Trust, Series 1',
  IWM: 'iShares Russell 2000 ETF',
  'EURUSD=X': 'EUR/USD',
};

function fromRow(row: Row): SymbolProfile {
  const [symbol, longName, basePrice, annualVol, dailyVolume, exchange, firstTradeDate, dividendYield, splits] = row;
  const info = parseSymbol(symbol);
  return Object.freeze({
    symbol: info.symbol,
    assetClass: info.assetClass,
    longName,
    shortName: SHORT_NAMES[symbol] ?? longName,
    basePrice,
    annualVol,
    dailyVolume,
    exchange,
    fullExchangeName: EXCHANGE_NAMES[exchange] ?? exchange,
    currency: info.assetClass === 'fx' || info.assetClass === 'crypto' ? (info.quoteCurrency ?? 'USD') : 'USD',
    firstTradeDate,
    dividendYield,
    splits: Object.freeze(splits ?? []),
  });
}

/** Profiles of the instruments the simulator knows by name, keyed by canonical symbol. */
export const KNOWN_PROFILES: ReadonlyMap<string, SymbolProfile> = new Map(
  KNOWN.map((row) => {
    const p = fromRow(row);
    return [p.symbol, p] as const;
  }),
);

/** The canonical symbols a simulator serves when none are given. */
export const DEFAULT_SYMBOLS: readonly string[] = Object.freeze([...KNOWN_PROFILES.keys()]);

// 2000-01-03, first session of 2000: the simulated history starts there.
const DEFAULT_FIRST_TRADE = 946909800;

/** Log-uniform draw between `lo` and `hi` from a hash of the symbol. */
function logUniform(symbol: string, what: string, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + unitOf(symbol, what) * (Math.log(hi) - Math.log(lo)));
}

/**
 * The profile of a canonical symbol: the known one, or one derived from a hash of the symbol so
 * that an unlisted ticker still gets a stable, plausible price of the right size for its class.
 */
export function profileOf(canonical: string): SymbolProfile {
  const known = KNOWN_PROFILES.get(canonical);
  if (known !== undefined) return known;
  const info = parseSymbol(canonical);
  const symbol = info.symbol;
  const klass = info.assetClass;
  const base =
    klass === 'fx'
      ? logUniform(symbol, 'base', 0.5, 2)
      : klass === 'crypto'
        ? logUniform(symbol, 'base', 0.5, 500)
        : klass === 'index'
          ? logUniform(symbol, 'base', 1000, 20000)
          : logUniform(symbol, 'base', 10, 500);
  const exchange = { fx: 'CCY', crypto: 'CCC', index: 'SNP', etf: 'PCX', equity: 'NYQ' }[klass];
  const name = klass === 'fx' ? `${info.baseCurrency}/${info.quoteCurrency}` : `${info.root} (simulated)`;
  return Object.freeze({
    symbol,
    assetClass: klass,
    longName: name,
    shortName: name,
    basePrice: base,
    annualVol: klass === 'fx' ? 0.08 : 0.25 + 0.3 * unitOf(symbol, 'vol'),
    dailyVolume: klass === 'fx' || klass === 'index' ? 0 : Math.round(logUniform(symbol, 'volume', 5e5, 2e7)),
    exchange,
    fullExchangeName: EXCHANGE_NAMES[exchange] ?? exchange,
    currency: info.quoteCurrency ?? 'USD',
    firstTradeDate: DEFAULT_FIRST_TRADE,
    dividendYield: 0,
    splits: Object.freeze([]),
  });
}
