"""The register's and the desk's forms: they parse and bound input; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcommune.disclosure import config
from smartcommune.disclosure.models import CloseReason

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date(label, required=True):
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại thông tin"))
    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    document_number = forms.CharField(label=_("Số văn bản"), max_length=100, required=False)
    document_date = _date(_("Ngày văn bản"), required=False)
    document = forms.FileField(label=_("Tệp văn bản"), required=False)

    def __init__(self, *args, criteria_set_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.label) for k in config.kinds(criteria_set_code)]


class BroadcastForm(forms.Form):
    date = _date(_("Ngày phát"))
    hamlets = forms.CharField(label=_("Ấp, khu phố"), max_length=500)
    text_read = forms.CharField(label=_("Nội dung đã đọc"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class PostingForm(forms.Form):
    posted_on = _date(_("Ngày niêm yết"))
    taken_down_on = _date(_("Ngày gỡ"), required=False)
    photo = forms.FileField(label=_("Ảnh chụp"), required=False)


class LinkForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kênh"))
    url = forms.CharField(label=_("Đường dẫn"), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = list(config.other_channels().items())


class FeedbackForm(forms.Form):
    """The public form; ``website`` is the honeypot (hidden from people by the style
    sheet), ``started`` the signed moment the form was shown."""

    message = forms.CharField(label=_("Nội dung câu hỏi, góp ý"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=_("Họ tên (không bắt buộc)"), max_length=200, required=False)
    contact = forms.CharField(label=_("Thư điện tử hoặc số điện thoại để nhận trả lời (không bắt buộc)"),
                              max_length=200, required=False)
    website = forms.CharField(required=False, max_length=200, label=_("Để trống ô này"))
    started = forms.CharField(max_length=200, widget=forms.HiddenInput)


class RecordFeedbackForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kênh nhận"), choices=[("email", _("Thư điện tử")), ("sms", _("Tin nhắn SMS"))])
    kind = forms.ChoiceField(label=_("Loại thông tin"), required=False)
    message = forms.CharField(label=_("Nội dung"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("Họ tên"), max_length=200, required=False)
    contact = forms.CharField(label=_("Liên hệ nhận trả lời"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Chung"))] + [(k.code, k.label) for k in config.kinds()]


class AnswerForm(forms.Form):
    public_answer = forms.CharField(label=_("Trả lời công khai"), max_length=4000,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    internal_note = forms.CharField(label=_("Ghi chú nội bộ (không công khai)"), max_length=2000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(forms.Form):
    forwarded_to = forms.CharField(label=_("Chuyển đến (huyện, sở, ngành)"), max_length=200)
    internal_note = forms.CharField(label=_("Ghi chú nội bộ"), max_length=2000, required=False)


class CloseForm(forms.Form):
    close_reason = forms.ChoiceField(label=_("Lý do"), choices=CloseReason.choices)
    close_note = forms.CharField(label=_("Giải thích"), max_length=2000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"))
