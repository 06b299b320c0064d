"""Type stubs of ``aqr._bank`` (members generated from ``aqr._aqr.bank_table()``;
``tests/python/test_bank.py`` checks they match)."""

from enum import IntEnum

__all__ = ["Bank"]

class Bank(IntEnum):
    """A bank or securities firm AQR accepts; the value is its ``bank_id``."""

    KAKAO_BANK = 0
    TOSS_BANK = 1
    K_BANK = 2
    KOOKMIN = 3
    IBK = 4
    NONGHYUP = 5
    SHINHAN = 6
    BUSAN = 7
    KOREA_POST = 8
    KFCC = 9
    KDB = 10
    WOORI = 11
    HANA = 12
    CITIBANK = 13
    STANDARD_CHARTERED = 14
    KYONGNAM = 15
    KWANGJU = 16
    DAEGU = 17
    DEUTSCHE_BANK = 18
    BANK_OF_AMERICA = 19
    NFCF = 20
    SAVINGS_BANK = 21
    SUHYUP = 22
    SHINHYUP = 23
    JEONBUK = 24
    JEJU = 25
    CHINA_CONSTRUCTION_BANK = 26
    ICBC = 27
    BANK_OF_CHINA = 28
    BNP_PARIBAS = 29
    HSBC = 30
    JP_MORGAN_CHASE = 31
    DB_FINANCIAL_INVESTMENT = 32
    MERITZ_SECURITIES = 33
    BOOKOOK_SECURITIES = 34
    KYOBO_SECURITIES = 35
    DAISHIN_SECURITIES = 36
    HYUNDAI_MOTOR_SECURITIES = 37
    MIRAE_ASSET_SECURITIES = 38
    SAMSUNG_SECURITIES = 39
    SHINYOUNG_SECURITIES = 40
    SHINHAN_SECURITIES = 41
    SK_SECURITIES = 42
    YUANTA_SECURITIES = 43
    EUGENE_INVESTMENT = 44
    EBEST_INVESTMENT = 45
    CAPE_INVESTMENT = 46
    KIWOOM_SECURITIES = 47
    KOREA_FOSS_SECURITIES = 48
    HANA_SECURITIES = 49
    HI_INVESTMENT = 50
    KOREA_INVESTMENT = 51
    HANWHA_INVESTMENT = 52
    KB_SECURITIES = 53
    DAOL_INVESTMENT = 54
    BNK_INVESTMENT = 55
    NH_INVESTMENT = 56
    TOSS_SECURITIES = 57
    KAKAO_PAY_SECURITIES = 58
    IBK_SECURITIES = 59

    @property
    def korean_name(self) -> str:
        """The Korean name exactly as AQR spells it (``"토스뱅크"``)."""
    @property
    def english_name(self) -> str:
        """A conventional English name (``"Toss Bank"``)."""
    @property
    def kftc_code(self) -> str:
        """The 3-digit KFTC (금융결제원) institution code (``"092"``)."""
    @classmethod
    def lookup(cls, value: int | str) -> Bank:
        """The bank with this id, KFTC code, Korean or English name or identifier;
        ``aqr.InvalidRequestError`` (suggesting near matches) when nothing matches."""
