#!/usr/bin/env python3
"""Writes the language-neutral test vectors in this folder.

The expected bodies are computed here with Python's own form encoder (urllib), not with the
SDK, so the Rust and Python suites are checked against an independent implementation.
Run it after changing a case: `python3 tests/vectors/generate.py`.
"""

import base64
import json
import pathlib
import urllib.parse

HERE = pathlib.Path(__file__).parent
TOKEN = "vector-token-0001"
EMAIL = "dev@example.com"
BASE = "https://aplx.link"

# id, ident, Korean (as AQR spells it), English, KFTC code. Ids and Korean names are the
# AQR reference's bank table (its two misspellings, 한국시티은행 and 미레에셋증권, kept);
# English names and the 3-digit KFTC institution codes are the Korea Financial
# Telecommunications & Clearings Institute's published codes.
BANKS = [
    (0, "KAKAO_BANK", "카카오뱅크", "KakaoBank", "090"),
    (1, "TOSS_BANK", "토스뱅크", "Toss Bank", "092"),
    (2, "K_BANK", "케이뱅크", "K bank", "089"),
    (3, "KOOKMIN", "국민은행", "KB Kookmin Bank", "004"),
    (4, "IBK", "기업은행", "Industrial Bank of Korea", "003"),
    (5, "NONGHYUP", "농협은행", "NH NongHyup Bank", "011"),
    (6, "SHINHAN", "신한은행", "Shinhan Bank", "088"),
    (7, "BUSAN", "부산은행", "BNK Busan Bank", "032"),
    (8, "KOREA_POST", "우체국", "Korea Post", "071"),
    (9, "KFCC", "새마을금고", "MG Community Credit Cooperatives", "045"),
    (10, "KDB", "산업은행", "Korea Development Bank", "002"),
    (11, "WOORI", "우리은행", "Woori Bank", "020"),
    (12, "HANA", "하나은행", "Hana Bank", "081"),
    (13, "CITIBANK", "한국시티은행", "Citibank Korea", "027"),
    (14, "STANDARD_CHARTERED", "SC제일은행", "Standard Chartered Bank Korea", "023"),
    (15, "KYONGNAM", "경남은행", "BNK Kyongnam Bank", "039"),
    (16, "KWANGJU", "광주은행", "Kwangju Bank", "034"),
    (17, "DAEGU", "대구은행", "iM Bank", "031"),
    (18, "DEUTSCHE_BANK", "도이치은행", "Deutsche Bank", "055"),
    (19, "BANK_OF_AMERICA", "뱅크오브아메리카", "Bank of America", "060"),
    (20, "NFCF", "산림조합중앙회", "National Forestry Cooperative Federation", "064"),
    (21, "SAVINGS_BANK", "저축은행", "Savings banks", "050"),
    (22, "SUHYUP", "수협은행", "Sh Suhyup Bank", "007"),
    (23, "SHINHYUP", "신협중앙회", "National Credit Union Federation of Korea", "048"),
    (24, "JEONBUK", "전북은행", "Jeonbuk Bank", "037"),
    (25, "JEJU", "제주은행", "Jeju Bank", "035"),
    (26, "CHINA_CONSTRUCTION_BANK", "중국건설은행", "China Construction Bank", "067"),
    (27, "ICBC", "중국공상은행", "Industrial and Commercial Bank of China", "062"),
    (28, "BANK_OF_CHINA", "중국은행", "Bank of China", "063"),
    (29, "BNP_PARIBAS", "BNP파리바은행", "BNP Paribas", "061"),
    (30, "HSBC", "HSBC은행", "HSBC", "054"),
    (31, "JP_MORGAN_CHASE", "JP모간체이스은행", "JPMorgan Chase Bank", "057"),
    (32, "DB_FINANCIAL_INVESTMENT", "DB금융투자", "DB Financial Investment", "279"),
    (33, "MERITZ_SECURITIES", "메리츠증권", "Meritz Securities", "287"),
    (34, "BOOKOOK_SECURITIES", "부국증권", "Bookook Securities", "290"),
    (35, "KYOBO_SECURITIES", "교보증권", "Kyobo Securities", "261"),
    (36, "DAISHIN_SECURITIES", "대신증권", "Daishin Securities", "267"),
    (37, "HYUNDAI_MOTOR_SECURITIES", "현대차증권", "Hyundai Motor Securities", "263"),
    (38, "MIRAE_ASSET_SECURITIES", "미레에셋증권", "Mirae Asset Securities", "238"),
    (39, "SAMSUNG_SECURITIES", "삼성증권", "Samsung Securities", "240"),
    (40, "SHINYOUNG_SECURITIES", "신영증권", "Shinyoung Securities", "291"),
    (41, "SHINHAN_SECURITIES", "신한투자증권", "Shinhan Securities", "278"),
    (42, "SK_SECURITIES", "에스케이증권", "SK Securities", "266"),
    (43, "YUANTA_SECURITIES", "유안타증권", "Yuanta Securities Korea", "209"),
    (44, "EUGENE_INVESTMENT", "유진투자증권", "Eugene Investment & Securities", "280"),
    (45, "EBEST_INVESTMENT", "이베스트투자증권", "eBEST Investment & Securities", "265"),
    (46, "CAPE_INVESTMENT", "케이프투자증권", "Cape Investment & Securities", "292"),
    (47, "KIWOOM_SECURITIES", "키움증권", "Kiwoom Securities", "264"),
    (48, "KOREA_FOSS_SECURITIES", "한국포스증권", "Korea FOSS Securities", "294"),
    (49, "HANA_SECURITIES", "하나증권", "Hana Securities", "270"),
    (50, "HI_INVESTMENT", "하이투자증권", "Hi Investment & Securities", "262"),
    (51, "KOREA_INVESTMENT", "한국투자증권", "Korea Investment & Securities", "243"),
    (52, "HANWHA_INVESTMENT", "한화투자증권", "Hanwha Investment & Securities", "269"),
    (53, "KB_SECURITIES", "KB증권", "KB Securities", "218"),
    (54, "DAOL_INVESTMENT", "다올투자증권", "DAOL Investment & Securities", "227"),
    (55, "BNK_INVESTMENT", "BNK투자증권", "BNK Investment & Securities", "224"),
    (56, "NH_INVESTMENT", "NH투자증권", "NH Investment & Securities", "247"),
    (57, "TOSS_SECURITIES", "토스증권", "Toss Securities", "271"),
    (58, "KAKAO_PAY_SECURITIES", "카카오페이증권", "Kakao Pay Securities", "288"),
    (59, "IBK_SECURITIES", "IBK투자증권", "IBK Securities", "225"),
]

HEADERS = {
    "aqr-developer-token": TOKEN,
    "content-type": "application/x-www-form-urlencoded",
    "accept": "application/json",
}


def create_case(name, inp, sent, dialect="reference", bank_id=None):
    """`inp` is what the caller passes; `sent` the normalised values on the wire."""
    action = "aqr_create" if dialect == "reference" else "create"
    form = [
        ("email_address", EMAIL),
        ("account_number", sent["account_number"]),
        ("bank_id", str(bank_id if bank_id is not None else inp["bank"])),
        ("account_owner", sent["account_owner"]),
        ("phone_number", sent["phone_number"]),
    ]
    if sent.get("account_name") is not None:
        form.append(("account_name", sent["account_name"]))
    form.append(("action", action))
    return {
        "name": name,
        "operation": "create",
        "dialect": dialect,
        "input": inp,
        "expect": {
            "method": "POST",
            "url": BASE + "/api/",
            "headers": HEADERS,
            "form": form,
            "body": urllib.parse.urlencode(form),
        },
    }


def delete_case(name, account_id, dialect="reference"):
    action = "aqr_delete" if dialect == "reference" else "delete"
    form = [("email_address", EMAIL), ("account_id", account_id), ("action", action)]
    return {
        "name": name,
        "operation": "delete",
        "dialect": dialect,
        "input": {"account_id": account_id},
        "expect": {
            "method": "POST",
            "url": BASE + "/api/",
            "headers": HEADERS,
            "form": form,
            "body": urllib.parse.urlencode(form),
        },
    }


def requests_cases():
    ref = {
        "account_number": "1234567894321",
        "bank": 1,
        "account_owner": "홍길동",
        "phone_number": "01012341234",
        "account_name": "월세",
    }
    cases = [
        create_case("reference curl example", ref, ref),
        create_case("revised dialect", ref, ref, dialect="revised"),
        create_case(
            "no account_name is omitted from the form",
            {k: v for k, v in ref.items() if k != "account_name"},
            {**ref, "account_name": None},
        ),
        create_case(
            "separators are removed from account and phone numbers",
            {**ref, "account_number": "123-456-789012", "phone_number": "010-1234-1234"},
            {**ref, "account_number": "123456789012", "phone_number": "01012341234"},
        ),
        create_case(
            "+82 phone becomes the national number",
            {**ref, "phone_number": "+82 10-1234-1234"},
            {**ref, "phone_number": "01012341234"},
        ),
        create_case(
            "0082 phone with trunk zero",
            {**ref, "phone_number": "0082 010 1234 1234"},
            {**ref, "phone_number": "01012341234"},
        ),
        create_case(
            "Seoul landline and spaces in the owner",
            {**ref, "phone_number": "02-123-4567", "account_owner": "  (주)가나다 상사 "},
            {**ref, "phone_number": "021234567", "account_owner": "(주)가나다 상사"},
        ),
        create_case(
            "representative number",
            {**ref, "phone_number": "1588-1234"},
            {**ref, "phone_number": "15881234"},
        ),
        create_case(
            "foreign E.164 number keeps its plus",
            {**ref, "phone_number": "+1 (415) 555-0100"},
            {**ref, "phone_number": "+14155550100"},
        ),
        create_case(
            "reserved characters are percent-encoded",
            {
                **ref,
                "account_owner": "Kim & Lee=Partners",
                "account_name": "rent/2026 #1 100% + tax",
            },
            {
                **ref,
                "account_owner": "Kim & Lee=Partners",
                "account_name": "rent/2026 #1 100% + tax",
            },
        ),
        create_case(
            "bank given by Korean name",
            {**ref, "bank": "국민은행"},
            ref,
            bank_id=3,
        ),
        create_case(
            "bank given by KFTC code",
            {**ref, "bank": "088"},
            ref,
            bank_id=6,
        ),
        create_case(
            "bank given by corrected spelling",
            {**ref, "bank": "미래에셋증권"},
            ref,
            bank_id=38,
        ),
        create_case(
            "longest values allowed",
            {
                **ref,
                "account_number": "1" * 20,
                "account_owner": "가" * 50,
                "account_name": "나" * 100,
            },
            {
                **ref,
                "account_number": "1" * 20,
                "account_owner": "가" * 50,
                "account_name": "나" * 100,
            },
        ),
    ]
    for bank_id, *_ in BANKS:
        cases.append(create_case(f"bank id {bank_id}", {**ref, "bank": bank_id}, ref))
    cases.append(delete_case("delete", "abcde"))
    cases.append(delete_case("delete revised dialect", "abcde", dialect="revised"))
    cases.append(delete_case("delete trims the id", "abc123"))
    cases[-1]["input"]["account_id"] = "  abc123\n"
    return {"config": {"token": TOKEN, "email": EMAIL, "base_url": BASE}, "cases": cases}


def invalid_cases():
    ok = {
        "account_number": "1234567894321",
        "bank": 1,
        "account_owner": "홍길동",
        "phone_number": "01012341234",
        "account_name": "월세",
    }

    def case(name, field, rule, **changes):
        return {
            "name": name,
            "operation": "create",
            "input": {**ok, **changes},
            "field": field,
            "rule": rule,
        }

    cases = [
        case("empty account number", "account_number", "required", account_number="  "),
        case(
            "letters in account number",
            "account_number",
            "invalid_character",
            account_number="12345abc90",
        ),
        case("too few digits", "account_number", "digit_count", account_number="12345"),
        case("too many digits", "account_number", "digit_count", account_number="1" * 21),
        case(
            "account number over 30 chars",
            "account_number",
            "too_long",
            account_number="1-" * 15 + "1",
        ),
        case(
            "newline in account number",
            "account_number",
            "control_character",
            account_number="123456\n789",
        ),
        case("bank id 60", "bank_id", "out_of_range", bank=60),
        case("bank id -1", "bank_id", "out_of_range", bank=-1),
        case("bank id as text out of range", "bank_id", "out_of_range", bank="75"),
        case("unknown bank name", "bank_id", "unknown_bank", bank="없는은행"),
        case("empty owner", "account_owner", "required", account_owner=""),
        case("owner over 50 chars", "account_owner", "too_long", account_owner="가" * 51),
        case(
            "control character in owner",
            "account_owner",
            "control_character",
            account_owner="홍\u0000길동",
        ),
        case(
            "CRLF in owner",
            "account_owner",
            "control_character",
            account_owner="홍길동\r\nX-Injected: 1",
        ),
        case("empty phone", "phone_number", "required", phone_number=""),
        case("short phone", "phone_number", "phone_format", phone_number="010-1234"),
        case("letters in phone", "phone_number", "phone_format", phone_number="010-CALL-NOW"),
        case("phone without trunk zero", "phone_number", "phone_format", phone_number="2012341234"),
        case(
            "phone over 20 chars", "phone_number", "too_long", phone_number="010 - 1234 - 1234 - 99"
        ),
        case("bad international", "phone_number", "phone_format", phone_number="+0123456789"),
        case("empty account name", "account_name", "required", account_name=" "),
        case("account name over 100 chars", "account_name", "too_long", account_name="나" * 101),
        case("tab in account name", "account_name", "control_character", account_name="월\t세"),
        case(
            "right-to-left override in owner",
            "account_owner",
            "bidi_control",
            account_owner="홍\u202e길동",
        ),
        case("isolate in account name", "account_name", "bidi_control", account_name="월\u2066세"),
        case(
            "owner of zero-width spaces", "account_owner", "invisible", account_owner="\u200b\u200b"
        ),
        case("owner of Hangul fillers", "account_owner", "invisible", account_owner="\u3164\u3164"),
        case(
            "account name of a byte-order mark", "account_name", "invisible", account_name="\ufeff"
        ),
        {
            "name": "empty account id",
            "operation": "delete",
            "input": {"account_id": ""},
            "field": "account_id",
            "rule": "required",
        },
        {
            "name": "space inside account id",
            "operation": "delete",
            "input": {"account_id": "ab cd"},
            "field": "account_id",
            "rule": "not_printable_ascii",
        },
        {
            "name": "Hangul account id",
            "operation": "delete",
            "input": {"account_id": "계좌"},
            "field": "account_id",
            "rule": "not_printable_ascii",
        },
        {
            "name": "account id over 255",
            "operation": "delete",
            "input": {"account_id": "a" * 256},
            "field": "account_id",
            "rule": "too_long",
        },
        {
            "name": "qr image over plain http",
            "operation": "qr_image",
            "input": {"url": "http://aplx.link/res?keyword=abcde"},
            "field": "qr_image",
            "rule": "insecure_url",
        },
        {
            "name": "qr image not a URL",
            "operation": "qr_image",
            "input": {"url": "not a url"},
            "field": "qr_image",
            "rule": "invalid_url",
        },
        {
            "name": "qr image on another host",
            "operation": "qr_image",
            "input": {"url": "https://evil.example/res?keyword=abcde"},
            "field": "qr_image",
            "rule": "untrusted_host",
        },
        {
            "name": "config: empty token",
            "operation": "config",
            "input": {"token": "", "email": EMAIL},
            "field": "developer_token",
            "rule": "required",
        },
        {
            "name": "config: token with space",
            "operation": "config",
            "input": {"token": "tok en", "email": EMAIL},
            "field": "developer_token",
            "rule": "not_printable_ascii",
        },
        {
            "name": "config: Hangul token",
            "operation": "config",
            "input": {"token": "토큰", "email": EMAIL},
            "field": "developer_token",
            "rule": "not_printable_ascii",
        },
        {
            "name": "config: bad email",
            "operation": "config",
            "input": {"token": TOKEN, "email": "dev.example.com"},
            "field": "email_address",
            "rule": "email_format",
        },
        {
            "name": "config: email over 100",
            "operation": "config",
            "input": {"token": TOKEN, "email": "a" * 95 + "@b.com"},
            "field": "email_address",
            "rule": "too_long",
        },
        {
            "name": "config: plain http base",
            "operation": "config",
            "input": {"token": TOKEN, "email": EMAIL, "base_url": "http://aplx.link"},
            "field": "base_url",
            "rule": "insecure_url",
        },
        {
            "name": "config: base with query",
            "operation": "config",
            "input": {"token": TOKEN, "email": EMAIL, "base_url": "https://aplx.link/?x=1"},
            "field": "base_url",
            "rule": "invalid_url",
        },
    ]
    return {"cases": cases}


SUCCESS = '{"result": "success", "qr_image": "https://aplx.link/res?keyword=abcde", "short_url": "https://aq.gy/f/abcde", "account_id": "abcde"}'
CREATED = {
    "account_id": "abcde",
    "qr_image": "https://aplx.link/res?keyword=abcde",
    "short_url": "https://aq.gy/f/abcde",
}
JSON = {"content-type": "application/json"}
PNG_START = base64.b64encode(b"\x89PNG\r\n\x1a\nrest").decode()
HTML_PAGE = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"


def responses_cases():
    def case(name, operation, status, body, expect, headers=None):
        """`body` is UTF-8 text; binary bodies use `body_base64` instead."""
        out = {
            "name": name,
            "operation": operation,
            "status": status,
            "headers": JSON if headers is None else headers,
            "expect": expect,
        }
        if body is not None:
            out["body"] = body
        return out

    def api(status, message=None, code=None, result="fail", retry_after=None):
        return {
            "outcome": "api_error",
            "status": status,
            "message": message,
            "code": code,
            "result": result,
            "retry_after": retry_after,
        }

    def bad(kind, status=200):
        return {"outcome": "response_error", "kind": kind, "status": status}

    cases = [
        case("create success", "create", 200, SUCCESS, {"outcome": "success", "created": CREATED}),
        case(
            "create success with unknown fields",
            "create",
            200,
            '{"result":"success","qr_image":"https://aplx.link/res?keyword=abcde","short_url":"https://aq.gy/f/abcde","account_id":"abcde","expires":null,"extra":{"a":[1,2]}}',
            {"outcome": "success", "created": CREATED},
        ),
        case(
            "create success without content type",
            "create",
            200,
            SUCCESS,
            {"outcome": "success", "created": CREATED},
            headers={},
        ),
        case(
            "create success served as text/html",
            "create",
            200,
            SUCCESS,
            {"outcome": "success", "created": CREATED},
            headers={"content-type": "text/html; charset=UTF-8"},
        ),
        case(
            "create success with 201",
            "create",
            201,
            SUCCESS,
            {"outcome": "success", "created": CREATED},
        ),
        case(
            "numeric account id",
            "create",
            200,
            '{"result":"success","qr_image":"https://aplx.link/res?keyword=12345","short_url":"https://aq.gy/f/12345","account_id":12345}',
            {
                "outcome": "success",
                "created": {
                    "account_id": "12345",
                    "qr_image": "https://aplx.link/res?keyword=12345",
                    "short_url": "https://aq.gy/f/12345",
                },
            },
        ),
        case(
            "result in upper case",
            "create",
            200,
            SUCCESS.replace('"success"', '"SUCCESS"'),
            {"outcome": "success", "created": CREATED},
        ),
        case(
            "missing account_id",
            "create",
            200,
            '{"result":"success","qr_image":"https://aplx.link/res?keyword=abcde","short_url":"https://aq.gy/f/abcde"}',
            bad("missing_field"),
        ),
        case(
            "empty account_id",
            "create",
            200,
            '{"result":"success","qr_image":"q","short_url":"s","account_id":""}',
            bad("missing_field"),
        ),
        case(
            "missing short_url",
            "create",
            200,
            '{"result":"success","qr_image":"https://aplx.link/res?keyword=abcde","account_id":"abcde"}',
            bad("missing_field"),
        ),
        case("delete success", "delete", 200, '{"result":"success"}', {"outcome": "success"}),
        case(
            "delete success with extra fields",
            "delete",
            200,
            '{"result":"success","deleted":1}',
            {"outcome": "success"},
        ),
    ]
    for key in ["message", "msg", "error", "error_message", "reason", "detail"]:
        for op in ["create", "delete"]:
            cases.append(
                case(
                    f"{op}: 200 with result fail and `{key}`",
                    op,
                    200,
                    json.dumps(
                        {"result": "fail", key: "이미 삭제된 계좌입니다", "code": "E100"},
                        ensure_ascii=False,
                    ),
                    api(200, "이미 삭제된 계좌입니다", "E100"),
                )
            )
    cases += [
        case(
            "error_code as number",
            "create",
            200,
            '{"result":"fail","error_code":401,"msg":"invalid token"}',
            api(200, "invalid token", "401"),
        ),
        case(
            "nested error object",
            "create",
            400,
            '{"result":"error","error":{"message":"bank_id out of range","type":"invalid"}}',
            api(400, "bank_id out of range", None, "error"),
        ),
        case(
            "401 JSON fail",
            "create",
            401,
            '{"result":"fail","code":"invalid_token","message":"invalid developer token"}',
            api(401, "invalid developer token", "invalid_token"),
        ),
        case(
            "404 on delete",
            "delete",
            404,
            '{"result":"fail","code":"not_found","message":"no such account"}',
            api(404, "no such account", "not_found"),
        ),
        case(
            "500 JSON",
            "create",
            500,
            '{"result":"fail","message":"internal error"}',
            api(500, "internal error"),
        ),
        case(
            "500 JSON without result",
            "delete",
            500,
            '{"message":"internal error"}',
            api(500, "internal error", None, None),
        ),
        case(
            "502 HTML proxy page",
            "create",
            502,
            HTML_PAGE,
            api(502, None, None, None),
            headers={"content-type": "text/html"},
        ),
        case(
            "503 empty with Retry-After",
            "create",
            503,
            "",
            api(503, None, None, None, 2.0),
            headers={"retry-after": "2"},
        ),
        case(
            "429 with fractional Retry-After",
            "delete",
            429,
            '{"result":"fail","message":"slow down"}',
            api(429, "slow down", None, "fail", 0.5),
            headers={**JSON, "retry-after": "0.5"},
        ),
        case(
            "429 with retry-after-ms",
            "create",
            429,
            "",
            api(429, None, None, None, 0.25),
            headers={"retry-after-ms": "250"},
        ),
        case(
            "503 with Retry-After as an HTTP date",
            "create",
            503,
            "",
            {**api(503, None, None, None), "retry_at_epoch": 784111777},
            headers={"retry-after": "Sun, 06 Nov 1994 08:49:37 GMT"},
        ),
        case("504 truncated", "delete", 504, '{"result":"fail","mess', api(504, None, None, None)),
        case(
            "500 plain text",
            "create",
            500,
            "Internal Server Error",
            api(500, None, None, None),
            headers={"content-type": "text/plain"},
        ),
        case(
            "200 HTML page",
            "create",
            200,
            HTML_PAGE,
            bad("not_json"),
            headers={"content-type": "text/html"},
        ),
        case(
            "200 plain text",
            "delete",
            200,
            "OK",
            bad("not_json"),
            headers={"content-type": "text/plain"},
        ),
        case("200 empty body", "create", 200, "", bad("empty")),
        case("200 whitespace body", "delete", 200, " \r\n", bad("empty")),
        case("200 truncated JSON", "create", 200, SUCCESS[:40], bad("truncated")),
        case("200 JSON array", "create", 200, '[{"result":"success"}]', bad("wrong_shape")),
        case("200 JSON string", "delete", 200, '"success"', bad("wrong_shape")),
        case("200 JSON without result", "delete", 200, '{"status":"ok"}', bad("wrong_shape")),
        case("200 result not a string", "create", 200, '{"result":true}', bad("wrong_shape")),
        case("200 trailing garbage", "create", 200, SUCCESS + "}", bad("not_json")),
        case(
            "numeric account id kept exact",
            "create",
            200,
            '{"result":"success","qr_image":"https://aplx.link/res?keyword=x","short_url":"https://aq.gy/f/x","account_id":12345678901234567890123}',
            {
                "outcome": "success",
                "created": {
                    "account_id": "12345678901234567890123",
                    "qr_image": "https://aplx.link/res?keyword=x",
                    "short_url": "https://aq.gy/f/x",
                },
            },
        ),
        case(
            "account id with control characters",
            "create",
            200,
            '{"result":"success","qr_image":"https://aplx.link/res?keyword=x","short_url":"https://aq.gy/f/x","account_id":"ab\\u001b[2J"}',
            bad("invalid_field"),
        ),
        case(
            "account id longer than delete accepts",
            "create",
            200,
            '{"result":"success","qr_image":"https://aplx.link/res?keyword=x","short_url":"https://aq.gy/f/x","account_id":"'
            + "a" * 256
            + '"}',
            bad("invalid_field"),
        ),
        case(
            "303 see other",
            "create",
            303,
            "",
            bad("redirect", 303),
            headers={"location": "https://aplx.link/done"},
        ),
        case(
            "301 redirect",
            "create",
            301,
            "",
            bad("redirect", 301),
            headers={"location": "https://evil.example/api/"},
        ),
        case(
            "302 redirect",
            "delete",
            302,
            "<html>moved</html>",
            bad("redirect", 302),
            headers={"location": "/login"},
        ),
        case("100 continue as final", "create", 100, "", bad("unexpected_status", 100), headers={}),
        dict(
            case(
                "qr image png",
                "qr_image",
                200,
                None,
                {"outcome": "success", "bytes": 12},
                headers={"content-type": "image/png"},
            ),
            body_base64=PNG_START,
        ),
        dict(
            case(
                "qr image png without content type",
                "qr_image",
                200,
                None,
                {"outcome": "success", "bytes": 12},
                headers={},
            ),
            body_base64=PNG_START,
        ),
        case(
            "qr image text without content type",
            "qr_image",
            200,
            "hello",
            bad("not_image"),
            headers={},
        ),
        case(
            "qr image html",
            "qr_image",
            200,
            HTML_PAGE,
            bad("not_image"),
            headers={"content-type": "text/html"},
        ),
        case(
            "qr image empty",
            "qr_image",
            200,
            "",
            bad("empty"),
            headers={"content-type": "image/png"},
        ),
        case(
            "qr image 404",
            "qr_image",
            404,
            '{"result":"fail","message":"not found"}',
            api(404, "not found"),
        ),
    ]
    return {"cases": cases}


# The fault table: each fault the mock can inject (its JSON wire format) and what every
# client must make of it, per operation. The expectations are derived here from the
# policy README.md states ("Errors", "Retries"), independently of the SDK.
FAULT_TOKEN = "faults-SECRET-token-31c7"
FAULT_RETRIES = 2
FAULT_TIMEOUT = 0.4  # seconds per attempt; every delay below is longer
REFUSALS = {408, 429, 503}


def fault_table():
    def outcome(kind, error_kind, processed, retried, status=None, attrs=None):
        """`retried`: whether the policy retries it for a create / for a delete."""
        out = {}
        for op in ("create", "delete"):
            python = {"api": "ApiError", "response": "ResponseError"}.get(kind) or {
                "connect": "ConnectError",
                "timeout": "RequestTimeoutError",
            }.get(error_kind, "TransportError")
            out[op] = {
                "type": kind,
                "kind": error_kind,
                "status": status,
                "python": python,
                "may_have_been_processed": processed,
                "retried": retried[op],
                "outcome_unknown": processed and op == "create",
                **({"attrs": attrs} if attrs else {}),
            }
        return out

    def status_outcome(status, body_kind):
        # The status table (README.md "Errors" and "Retries"): refusals and other 4xx were
        # not processed; other 5xx may have been; a 2xx "fail" is an explicit refusal.
        if body_kind == "api":
            refused = status in REFUSALS or 400 <= status < 500 or 200 <= status < 300
            processed = not refused
            retried = {"create": status in REFUSALS, "delete": status in REFUSALS or status >= 500}
            return outcome("api", None, processed, retried, status)
        return outcome("response", body_kind, True, {"create": False, "delete": False}, status)

    both = {"create": True, "delete": True}
    delete_only = {"create": False, "delete": True}
    neither = {"create": False, "delete": False}

    def respond(status, body, **extra):
        return {
            "kind": "respond",
            "status": status,
            "body": body,
            "retry_after": "0.02",
            **extra,
        }

    faults = [
        {
            "name": "connection refused",
            "fault": None,
            "expect": outcome("transport", "connect", False, both),
        },
        {
            "name": "timeout before the response",
            "fault": {"kind": "delay", "delay_ms": 900},
            "expect": outcome("transport", "timeout", True, delete_only),
        },
        {
            "name": "body stalls past the timeout",
            "fault": {"kind": "slow_body", "delay_ms": 900},
            "expect": outcome("transport", "timeout", True, delete_only),
        },
        {
            "name": "dropped after the request",
            "fault": {"kind": "drop_after_read"},
            "expect": outcome("transport", "io", True, delete_only),
        },
        {
            "name": "dropped before reading",
            "fault": {"kind": "drop_before_read"},
            "expect": outcome("transport", "io", True, delete_only),
        },
    ]
    bodies = {
        "json": {"type": "json_fail", "message": "upstream failed", "code": "E500"},
        "html": {"type": "html"},
        "empty": {"type": "empty"},
        "truncated": {"type": "truncated_json"},
    }
    for status in (500, 502, 503, 504):
        for body_name, body in bodies.items():
            faults.append(
                {
                    "name": f"{status} {body_name}",
                    "fault": respond(status, body),
                    "expect": status_outcome(status, "api"),
                }
            )
    faults.append(
        {
            "name": "400 json",
            "fault": respond(400, {"type": "json_fail", "message": "bad bank", "code": "E1"}),
            "expect": outcome(
                "api", None, False, neither, 400, {"code": "E1", "server_message": "bad bank"}
            ),
        }
    )
    faults.append(
        {
            "name": "429 Retry-After",
            "fault": respond(
                429, {"type": "json_fail", "message": "slow down"}, retry_after="0.05"
            ),
            "expect": status_outcome(429, "api"),
        }
    )
    # A wait longer than the policy honours (60 s), even one too large to represent, ends
    # the call at once: it is never treated as "no Retry-After".
    for wait in ("120", "1e30"):
        expect = status_outcome(503, "api")
        for op in expect:
            expect[op]["retried"] = False
        faults.append(
            {
                "name": f"503 Retry-After {wait}",
                "fault": respond(503, {"type": "json_fail", "message": "later"}, retry_after=wait),
                "expect": expect,
            }
        )
    for key in ("message", "msg", "error", "error_message", "reason", "detail"):
        faults.append(
            {
                "name": f"200 fail/{key}",
                "fault": respond(200, {"type": "json_fail", "key": key, "message": "거절됨"}),
                "expect": outcome(
                    "api", None, False, neither, 200, {"server_message": "거절됨", "result": "fail"}
                ),
            }
        )
    for name, body, kind in [
        ("200 html", {"type": "html"}, "not_json"),
        ("200 text", {"type": "text", "text": "OK"}, "not_json"),
        ("200 empty", {"type": "empty"}, "empty"),
        ("200 truncated", {"type": "truncated_json"}, "truncated"),
        ("200 wrong shape", {"type": "json", "value": [1, 2]}, "wrong_shape"),
    ]:
        faults.append(
            {"name": name, "fault": respond(200, body), "expect": status_outcome(200, kind)}
        )
    for status in (302, 303):
        faults.append(
            {
                "name": f"{status} redirect",
                "fault": {
                    "kind": "redirect",
                    "status": status,
                    "location": "http://127.0.0.1:9/steal",
                },
                "expect": status_outcome(status, "redirect"),
            }
        )
    faults.append(
        {
            "name": "oversized body",
            "fault": respond(200, {"type": "huge", "bytes": 3 * 1024 * 1024}),
            "expect": outcome("transport", "body_too_large", True, neither),
        }
    )
    echo = {
        "type": "json",
        "value": {
            "result": "success",
            "account_id": "abc",
            "qr_image": "https://aplx.link/res?keyword=abc",
            "short_url": "https://aq.gy/f/abc",
            "echo": FAULT_TOKEN,
        },
    }
    # Terminal safety: a server's text reaches no terminal raw.
    faults.append(
        {
            "name": "400 with terminal control characters",
            "fault": respond(
                400,
                {
                    "type": "json_fail",
                    "message": "\u001b[2J\u0007bad\r\nerror: forged",
                    "code": "E\u001b",
                },
            ),
            "expect": outcome("api", None, False, neither, 400),
        }
    )
    faults.append(
        {
            "name": "500 echoing the token inside a word",
            "fault": respond(500, {"type": "text", "text": f"ab{FAULT_TOKEN}cd"}),
            "expect": status_outcome(500, "api"),
        }
    )
    faults.append(
        {
            "name": "success echoing the token",
            "fault": respond(200, echo),
            "expect": status_outcome(200, "echoed_token"),
        }
    )
    # Create-only shapes of a success body (a delete's success needs no fields).
    for name, value, kind in [
        (
            "success without account_id",
            {"result": "success", "short_url": "https://aq.gy/f/x"},
            "missing_field",
        ),
        (
            "success with a control character in the id",
            {
                "result": "success",
                "account_id": "ab\u001b[2J",
                "qr_image": "https://aplx.link/res?keyword=x",
                "short_url": "https://aq.gy/f/x",
            },
            "invalid_field",
        ),
    ]:
        expect = status_outcome(200, kind)
        expect["delete"] = {"ok": True}
        faults.append(
            {
                "name": name,
                "fault": respond(200, {"type": "json", "value": value}),
                "expect": expect,
            }
        )
    return {
        "description": "Injected faults and what every client makes of them; see README.md",
        "token": FAULT_TOKEN,
        "retries": FAULT_RETRIES,
        "timeout": FAULT_TIMEOUT,
        "faults": faults,
    }


def write(name, data):
    path = HERE / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(
        "banks.json",
        {
            "banks": [
                dict(zip(["id", "ident", "korean", "english", "kftc"], b, strict=False))
                for b in BANKS
            ]
        },
    )
    write("requests.json", requests_cases())
    write("invalid.json", invalid_cases())
    write("responses.json", responses_cases())
    write("faults.json", fault_table())
