//! The AQR bank table: the 60 `bank_id` values the API accepts.

use std::fmt;
use std::str::FromStr;

use crate::validate::{Field, Rule, ValidationError};

/// One row of the bank table.
struct BankInfo {
    ident: &'static str,
    korean: &'static str,
    english: &'static str,
    kftc: &'static str,
    aliases: &'static [&'static str],
}

macro_rules! banks {
    ($( $id:literal $variant:ident $ident:literal $ko:literal $en:literal $kftc:literal [$($alias:literal),*] ;)*) => {
        /// A bank or securities firm AQR accepts, identified on the wire by its `bank_id` (0–59).
        ///
        /// Each bank knows its Korean name exactly as AQR spells it, a conventional English name
        /// and its 3-digit KFTC institution code (informational; AQR only sends the id).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        #[non_exhaustive]
        pub enum Bank {
            $(
                #[doc = concat!($ko, " — ", $en, " (id ", stringify!($id), ", KFTC ", $kftc, ")")]
                $variant = $id,
            )*
        }

        const BANKS: [Bank; 60] = [$(Bank::$variant,)*];

        const INFO: [BankInfo; 60] = [$(
            BankInfo { ident: $ident, korean: $ko, english: $en, kftc: $kftc, aliases: &[$($alias),*] },
        )*];
    };
}

banks! {
    0 KakaoBank "KAKAO_BANK" "카카오뱅크" "KakaoBank" "090" [];
    1 TossBank "TOSS_BANK" "토스뱅크" "Toss Bank" "092" [];
    2 KBank "K_BANK" "케이뱅크" "K bank" "089" [];
    3 Kookmin "KOOKMIN" "국민은행" "KB Kookmin Bank" "004" ["KB국민은행"];
    4 IndustrialBankOfKorea "IBK" "기업은행" "Industrial Bank of Korea" "003" ["IBK기업은행"];
    5 NongHyup "NONGHYUP" "농협은행" "NH NongHyup Bank" "011" ["NH농협은행"];
    6 Shinhan "SHINHAN" "신한은행" "Shinhan Bank" "088" [];
    7 Busan "BUSAN" "부산은행" "BNK Busan Bank" "032" [];
    8 KoreaPost "KOREA_POST" "우체국" "Korea Post" "071" [];
    9 Kfcc "KFCC" "새마을금고" "MG Community Credit Cooperatives" "045" [];
    10 Kdb "KDB" "산업은행" "Korea Development Bank" "002" ["KDB산업은행"];
    11 Woori "WOORI" "우리은행" "Woori Bank" "020" [];
    12 Hana "HANA" "하나은행" "Hana Bank" "081" [];
    13 Citibank "CITIBANK" "한국시티은행" "Citibank Korea" "027" ["한국씨티은행", "씨티은행"];
    14 StandardChartered "STANDARD_CHARTERED" "SC제일은행" "Standard Chartered Bank Korea" "023" [];
    15 Kyongnam "KYONGNAM" "경남은행" "BNK Kyongnam Bank" "039" [];
    16 Kwangju "KWANGJU" "광주은행" "Kwangju Bank" "034" [];
    17 Daegu "DAEGU" "대구은행" "iM Bank" "031" ["아이엠뱅크", "iM뱅크", "DGB Daegu Bank"];
    18 DeutscheBank "DEUTSCHE_BANK" "도이치은행" "Deutsche Bank" "055" [];
    19 BankOfAmerica "BANK_OF_AMERICA" "뱅크오브아메리카" "Bank of America" "060" [];
    20 Nfcf "NFCF" "산림조합중앙회" "National Forestry Cooperative Federation" "064" [];
    21 SavingsBank "SAVINGS_BANK" "저축은행" "Savings banks" "050" ["상호저축은행"];
    22 Suhyup "SUHYUP" "수협은행" "Sh Suhyup Bank" "007" [];
    23 Shinhyup "SHINHYUP" "신협중앙회" "National Credit Union Federation of Korea" "048" ["신협"];
    24 Jeonbuk "JEONBUK" "전북은행" "Jeonbuk Bank" "037" [];
    25 Jeju "JEJU" "제주은행" "Jeju Bank" "035" [];
    26 ChinaConstructionBank "CHINA_CONSTRUCTION_BANK" "중국건설은행" "China Construction Bank" "067" [];
    27 Icbc "ICBC" "중국공상은행" "Industrial and Commercial Bank of China" "062" [];
    28 BankOfChina "BANK_OF_CHINA" "중국은행" "Bank of China" "063" [];
    29 BnpParibas "BNP_PARIBAS" "BNP파리바은행" "BNP Paribas" "061" [];
    30 Hsbc "HSBC" "HSBC은행" "HSBC" "054" [];
    31 JpMorganChase "JP_MORGAN_CHASE" "JP모간체이스은행" "JPMorgan Chase Bank" "057" [];
    32 DbFinancialInvestment "DB_FINANCIAL_INVESTMENT" "DB금융투자" "DB Financial Investment" "279" [];
    33 MeritzSecurities "MERITZ_SECURITIES" "메리츠증권" "Meritz Securities" "287" [];
    34 BookookSecurities "BOOKOOK_SECURITIES" "부국증권" "Bookook Securities" "290" [];
    35 KyoboSecurities "KYOBO_SECURITIES" "교보증권" "Kyobo Securities" "261" [];
    36 DaishinSecurities "DAISHIN_SECURITIES" "대신증권" "Daishin Securities" "267" [];
    37 HyundaiMotorSecurities "HYUNDAI_MOTOR_SECURITIES" "현대차증권" "Hyundai Motor Securities" "263" [];
    38 MiraeAssetSecurities "MIRAE_ASSET_SECURITIES" "미레에셋증권" "Mirae Asset Securities" "238" ["미래에셋증권"];
    39 SamsungSecurities "SAMSUNG_SECURITIES" "삼성증권" "Samsung Securities" "240" [];
    40 ShinyoungSecurities "SHINYOUNG_SECURITIES" "신영증권" "Shinyoung Securities" "291" [];
    41 ShinhanSecurities "SHINHAN_SECURITIES" "신한투자증권" "Shinhan Securities" "278" [];
    42 SkSecurities "SK_SECURITIES" "에스케이증권" "SK Securities" "266" ["SK증권"];
    43 YuantaSecurities "YUANTA_SECURITIES" "유안타증권" "Yuanta Securities Korea" "209" [];
    44 EugeneInvestment "EUGENE_INVESTMENT" "유진투자증권" "Eugene Investment & Securities" "280" [];
    45 EbestInvestment "EBEST_INVESTMENT" "이베스트투자증권" "eBEST Investment & Securities" "265" ["LS증권", "LS Securities"];
    46 CapeInvestment "CAPE_INVESTMENT" "케이프투자증권" "Cape Investment & Securities" "292" [];
    47 KiwoomSecurities "KIWOOM_SECURITIES" "키움증권" "Kiwoom Securities" "264" [];
    48 KoreaFossSecurities "KOREA_FOSS_SECURITIES" "한국포스증권" "Korea FOSS Securities" "294" [];
    49 HanaSecurities "HANA_SECURITIES" "하나증권" "Hana Securities" "270" [];
    50 HiInvestment "HI_INVESTMENT" "하이투자증권" "Hi Investment & Securities" "262" [];
    51 KoreaInvestment "KOREA_INVESTMENT" "한국투자증권" "Korea Investment & Securities" "243" [];
    52 HanwhaInvestment "HANWHA_INVESTMENT" "한화투자증권" "Hanwha Investment & Securities" "269" [];
    53 KbSecurities "KB_SECURITIES" "KB증권" "KB Securities" "218" [];
    54 DaolInvestment "DAOL_INVESTMENT" "다올투자증권" "DAOL Investment & Securities" "227" [];
    55 BnkInvestment "BNK_INVESTMENT" "BNK투자증권" "BNK Investment & Securities" "224" [];
    56 NhInvestment "NH_INVESTMENT" "NH투자증권" "NH Investment & Securities" "247" [];
    57 TossSecurities "TOSS_SECURITIES" "토스증권" "Toss Securities" "271" [];
    58 KakaoPaySecurities "KAKAO_PAY_SECURITIES" "카카오페이증권" "Kakao Pay Securities" "288" [];
    59 IbkSecurities "IBK_SECURITIES" "IBK투자증권" "IBK Securities" "225" [];
}

impl Bank {
    /// Every bank, in `bank_id` order.
    pub const ALL: [Bank; 60] = BANKS;

    fn info(self) -> &'static BankInfo {
        // Every variant's discriminant is its index in `INFO` (the macro builds both).
        #[allow(clippy::indexing_slicing)]
        &INFO[self as usize]
    }

    /// The `bank_id` sent on the wire (0–59).
    #[must_use]
    pub fn id(self) -> u8 {
        self as u8
    }

    /// The Korean name exactly as AQR's table spells it (including its two misspellings,
    /// `한국시티은행` and `미레에셋증권`).
    #[must_use]
    pub fn korean_name(self) -> &'static str {
        self.info().korean
    }

    /// A conventional English name.
    #[must_use]
    pub fn english_name(self) -> &'static str {
        self.info().english
    }

    /// The 3-digit KFTC (금융결제원) institution code, e.g. `"092"` for Toss Bank.
    #[must_use]
    pub fn kftc_code(self) -> &'static str {
        self.info().kftc
    }

    /// A stable upper-case identifier, e.g. `"TOSS_BANK"` (the Python enum member name).
    #[must_use]
    pub fn ident(self) -> &'static str {
        self.info().ident
    }

    /// The bank with this `bank_id`, if it is in the table.
    #[must_use]
    pub fn from_id(id: u8) -> Option<Bank> {
        BANKS.get(usize::from(id)).copied()
    }

    /// The bank with this 3-digit KFTC code.
    #[must_use]
    pub fn from_kftc_code(code: &str) -> Option<Bank> {
        let code = code.trim();
        BANKS.iter().copied().find(|b| b.kftc_code() == code)
    }

    /// The bank with this name: the Korean name as AQR spells it or a corrected spelling
    /// (`한국씨티은행`, `미래에셋증권`, …), the English name or the identifier
    /// (both case-insensitive; spaces, `_` and `-` ignored).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Bank> {
        let wanted = fold(name);
        if wanted.is_empty() {
            return None;
        }
        BANKS.iter().copied().find(|b| {
            let info = b.info();
            fold(info.korean) == wanted
                || fold(info.english) == wanted
                || fold(info.ident) == wanted
                || info.aliases.iter().any(|a| fold(a) == wanted)
        })
    }

    /// Looks a bank up by anything a person might type: the id (`"1"`), the KFTC code
    /// (`"092"`, always three digits), or a name as [`Bank::from_name`] accepts it.
    ///
    /// # Errors
    /// A [`ValidationError`] for the `bank_id` field: [`Rule::OutOfRange`] for a number
    /// that is not an id, [`Rule::UnknownBank`] when nothing else matches.
    pub fn lookup(text: &str) -> Result<Bank, ValidationError> {
        let trimmed = text.trim();
        let unknown = || ValidationError::new(Field::BankId, Rule::UnknownBank);
        let out_of_range = || ValidationError::new(Field::BankId, Rule::OutOfRange);
        if trimmed.len() == 3 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Bank::from_kftc_code(trimmed).ok_or_else(unknown);
        }
        let digits = trimmed.strip_prefix('-').unwrap_or(trimmed);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return trimmed
                .parse::<u8>()
                .ok()
                .and_then(Bank::from_id)
                .ok_or_else(out_of_range);
        }
        Bank::from_name(trimmed).ok_or_else(unknown)
    }
}

/// Case-, space-, `_`- and `-`-insensitive form of a name used for lookups.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

impl fmt::Display for Bank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.korean_name())
    }
}

impl FromStr for Bank {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Bank::lookup(s)
    }
}

impl TryFrom<u8> for Bank {
    type Error = ValidationError;

    /// The bank with this `bank_id`; [`Rule::OutOfRange`] for `bank_id` outside 0–59.
    fn try_from(id: u8) -> Result<Self, Self::Error> {
        Bank::from_id(id).ok_or_else(|| ValidationError::new(Field::BankId, Rule::OutOfRange))
    }
}

/// Serialized as its `bank_id` (what the API sends); deserialized from an id or from any
/// text [`Bank::lookup`] accepts (`1`, `"092"`, `"토스뱅크"`, `"TOSS_BANK"`).
#[cfg(feature = "serde")]
impl serde::Serialize for Bank {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.id())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Bank {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BankVisitor;

        impl serde::de::Visitor<'_> for BankVisitor {
            type Value = Bank;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a bank id (0-59), a KFTC code or a bank name")
            }

            fn visit_u64<E: serde::de::Error>(self, id: u64) -> Result<Bank, E> {
                u8::try_from(id)
                    .ok()
                    .and_then(Bank::from_id)
                    .ok_or_else(|| E::custom(Rule::OutOfRange))
            }

            fn visit_i64<E: serde::de::Error>(self, id: i64) -> Result<Bank, E> {
                u64::try_from(id)
                    .map_err(|_| E::custom(Rule::OutOfRange))
                    .and_then(|id| self.visit_u64(id))
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Bank, E> {
                Bank::lookup(text).map_err(|e| E::custom(e.rule()))
            }
        }

        deserializer.deserialize_any(BankVisitor)
    }
}

impl From<Bank> for u8 {
    fn from(bank: Bank) -> u8 {
        bank.id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dense_and_ordered() {
        for (i, bank) in Bank::ALL.iter().enumerate() {
            assert_eq!(usize::from(bank.id()), i);
            assert_eq!(Bank::from_id(bank.id()), Some(*bank));
            assert_eq!(Bank::try_from(bank.id()), Ok(*bank));
        }
        assert_eq!(Bank::from_id(60), None);
    }

    #[test]
    fn every_bank_is_found_by_each_of_its_names() {
        for bank in Bank::ALL {
            assert_eq!(Bank::from_name(bank.korean_name()), Some(bank));
            assert_eq!(
                Bank::from_name(&bank.english_name().to_uppercase()),
                Some(bank)
            );
            assert_eq!(Bank::from_name(bank.ident()), Some(bank));
            assert_eq!(Bank::from_kftc_code(bank.kftc_code()), Some(bank));
            assert_eq!(Bank::lookup(&bank.id().to_string()), Ok(bank));
        }
    }

    #[test]
    fn kftc_codes_and_names_are_unique() {
        let mut codes: Vec<_> = Bank::ALL.iter().map(|b| b.kftc_code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 60);
        let mut names: Vec<_> = Bank::ALL.iter().map(|b| fold(b.english_name())).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 60);
    }

    #[test]
    fn corrected_spellings_are_accepted() {
        assert_eq!(Bank::from_name("한국씨티은행"), Some(Bank::Citibank));
        assert_eq!(
            Bank::from_name("미래에셋증권"),
            Some(Bank::MiraeAssetSecurities)
        );
        assert_eq!(Bank::MiraeAssetSecurities.korean_name(), "미레에셋증권");
    }

    #[test]
    fn unknown_text_names_the_field() {
        let err = Bank::lookup("no such bank").unwrap_err();
        assert_eq!(err.field(), Field::BankId);
        assert_eq!(Bank::lookup("").unwrap_err().rule(), Rule::UnknownBank);
        assert_eq!(Bank::lookup("9999").unwrap_err().rule(), Rule::OutOfRange);
        assert_eq!(Bank::lookup("-1").unwrap_err().rule(), Rule::OutOfRange);
        assert_eq!(
            Bank::lookup(&"9".repeat(60)).unwrap_err().rule(),
            Rule::OutOfRange
        );
        assert_eq!(Bank::try_from(60).unwrap_err().rule(), Rule::OutOfRange);
        assert_eq!(Bank::lookup("999").unwrap_err().rule(), Rule::UnknownBank);
    }
}
