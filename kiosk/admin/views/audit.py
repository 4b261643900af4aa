"""审计日志: who logged in, revealed, exported, deleted and purged (admins only)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import render_template, request
from flask.typing import ResponseReturnValue

from kiosk.admin.access import admin_required
from kiosk.admin.blueprint import bp
from kiosk.admin.queries import day_start, parse_date
from kiosk.extensions import db
from kiosk.models import AuditEvent

PAGE_SIZE = 100

# Shown in the action filter and the table; unknown actions are shown as their key.
ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_throttled": "登录过于频繁",
    "logout": "退出",
    "password_change": "修改密码",
    "phone_reveal": "查看完整手机号",
    "export": "导出",
    "person_delete": "按申请删除个人信息",
    "purge": "到期清理",
    "follow_up": "更新跟进状态",
    "session_create": "创建沟通会",
    "session_update": "修改沟通会",
    "session_open": "开始沟通会",
    "session_close": "结束沟通会",
    "org_create": "添加工会组织",
    "org_update": "修改工会组织",
    "site_create": "添加点位",
    "site_update": "修改点位",
    "tablet_bind": "绑定平板",
    "tablet_bind_failed": "绑定平板失败",
    "tablet_unbind": "平板退出",
    "tablet_unbind_failed": "平板退出失败",
    "tablet_revoke": "停用平板",
    "attention_store": "待处理记录存为登记",
    "attention_dismiss": "忽略待处理记录",
    "user_create": "创建账号",
    "user_disable": "停用账号",
    "user_enable": "启用账号",
    "content_editor_grant": "授予内容编辑",
    "content_editor_revoke": "取消内容编辑",
    "content_save": "保存知识库内容",
    "content_draft": "保存知识库草稿",
    "content_restore": "恢复知识库旧版本",
    "kb_publish": "发布知识库",
    "kb_switch": "换回某一版知识库",
    "content_export": "导出知识库内容",
    "content_import": "导入知识库内容",
    "relay_credential_issue": "签发上报凭证",
    "relay_credential_revoke": "停用上报凭证",
    "relay_push": "笔记本电脑上传登记",
    "relay_sessions": "笔记本电脑上传沟通会",
    "relay_retry": "重新上传被拒登记",
    "relay_dismiss": "忽略被拒登记",
}


@bp.get("/audit")
@admin_required
def audit_log() -> ResponseReturnValue:
    action = request.args.get("action", "")
    user = request.args.get("user", "").strip()[:60]
    date_from, date_to = parse_date(request.args.get("from")), parse_date(request.args.get("to"))
    raw_page = request.args.get("page", "1")
    page = max(int(raw_page), 1) if raw_page.isdigit() else 1
    statement = sa.select(AuditEvent)
    if action:
        statement = statement.where(AuditEvent.action == action)
    if user:
        statement = statement.where(AuditEvent.actor_name == user)
    if date_from:
        statement = statement.where(AuditEvent.at >= day_start(date_from))
    if date_to:
        statement = statement.where(AuditEvent.at < day_start(date_to + timedelta(days=1)))
    events = db.session.scalars(
        statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    known = set(db.session.scalars(sa.select(AuditEvent.action).distinct()))
    return render_template(
        "admin/audit.html",
        events=events[:PAGE_SIZE],
        has_next=len(events) > PAGE_SIZE,
        page=page,
        actions=ACTIONS,
        action_choices=sorted(known | set(ACTIONS)),
        args={"action": action, "user": user, "from": date_from or "", "to": date_to or ""},
    )
